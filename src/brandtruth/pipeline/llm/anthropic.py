"""Anthropic provider: the official SDK's Messages API, structured output through a forced tool call.

The client is built per call with max_retries=0 (Temporal's retry policy owns retries) and closed
after it. The key comes from the worker's Settings (as ProviderSettings) and never leaves this module.
"""

from __future__ import annotations

from typing import Any

import anthropic

from ..errors import ProviderError
from ..models import Usage
from .base import CopyProvider, CopyRequest, CritiqueRequest, CritiqueResult, ProviderResult
from .critiquing import CRITIQUE_SYSTEM_PROMPT, CRITIQUE_TOOL_NAME, CRITIQUES_SCHEMA, critique_message, parse_critiques
from .failures import to_provider_error
from .prompting import (
    SYSTEM_PROMPT,
    TOOL_NAME,
    VARIANTS_SCHEMA,
    MalformedOutput,
    parse_batch,
    repair_instruction,
    usage,
    user_message,
)
from .provider_settings import ProviderSettings

MAX_TOKENS = 4096
CRITIQUE_MAX_TOKENS = 2048  # a few hundred characters per variant, with room to spare
TOOL = {
    "name": TOOL_NAME,
    "description": "Submit the ad copy variants, each with the claims it makes and the fact ids they rest on.",
    "input_schema": VARIANTS_SCHEMA,
}
CRITIQUE_TOOL = {
    "name": CRITIQUE_TOOL_NAME,
    "description": "Submit one short critique per scored ad variant.",
    "input_schema": CRITIQUES_SCHEMA,
}


class AnthropicProvider(CopyProvider):
    name = "anthropic"

    def __init__(self, settings: ProviderSettings):
        if settings.anthropic_api_key is None:
            raise ProviderError("ANTHROPIC_API_KEY is not set in the worker's environment.", retryable=False)
        self._key = settings.anthropic_api_key
        self._base_url = settings.anthropic_base_url
        self._timeout = settings.timeout_seconds
        self.model = settings.anthropic_model

    def __repr__(self) -> str:
        return f"AnthropicProvider(model={self.model!r})"

    def _error(self, exc: Exception) -> ProviderError:
        return to_provider_error(
            exc,
            provider="anthropic",
            key_var="ANTHROPIC_API_KEY",
            model_var="ANTHROPIC_MODEL",
            url_var="ANTHROPIC_BASE_URL",
            feature="tool use",
            secret=self._key.get_secret_value(),
        )

    async def write(self, req: CopyRequest) -> ProviderResult:
        messages: list[dict[str, Any]] = [{"role": "user", "content": user_message(req)}]
        tokens_in = tokens_out = 0
        problem = ""
        async with anthropic.AsyncAnthropic(
            api_key=self._key.get_secret_value(), base_url=self._base_url, max_retries=0, timeout=self._timeout
        ) as client:
            for attempt in (1, 2):  # the first answer, then one repair
                try:
                    msg = await client.messages.create(  # type: ignore[call-overload]
                        model=self.model,
                        max_tokens=MAX_TOKENS,
                        system=SYSTEM_PROMPT,
                        messages=messages,
                        tools=[TOOL],
                        tool_choice={"type": "tool", "name": TOOL_NAME},
                    )
                except anthropic.AnthropicError as exc:
                    raise self._error(exc) from exc
                tokens_in += msg.usage.input_tokens
                tokens_out += msg.usage.output_tokens
                call = next((b for b in msg.content if b.type == "tool_use" and b.name == TOOL_NAME), None)
                try:
                    if call is None:
                        raise MalformedOutput(f"did not call the {TOOL_NAME} tool (stop reason {msg.stop_reason})")
                    drafts = parse_batch(call.input)
                    return ProviderResult(drafts=drafts, usage=self._usage(tokens_in, tokens_out))
                except MalformedOutput as exc:
                    problem = str(exc)
                    if attempt == 2:
                        break
                    messages += self._repair(msg, call, problem)
        raise ProviderError(f"Anthropic returned malformed output twice ({problem}); will retry.", retryable=True)

    async def critique(self, req: CritiqueRequest) -> CritiqueResult:
        """One forced tool call, no repair round: a critique is optional, so a bad answer is simply none."""
        async with anthropic.AsyncAnthropic(
            api_key=self._key.get_secret_value(), base_url=self._base_url, max_retries=0, timeout=self._timeout
        ) as client:
            try:
                msg = await client.messages.create(  # type: ignore[call-overload]
                    model=self.model,
                    max_tokens=CRITIQUE_MAX_TOKENS,
                    system=CRITIQUE_SYSTEM_PROMPT,
                    messages=[{"role": "user", "content": critique_message(req)}],
                    tools=[CRITIQUE_TOOL],
                    tool_choice={"type": "tool", "name": CRITIQUE_TOOL_NAME},
                )
            except anthropic.AnthropicError as exc:
                raise self._error(exc) from exc
        call = next((b for b in msg.content if b.type == "tool_use" and b.name == CRITIQUE_TOOL_NAME), None)
        try:
            if call is None:
                raise MalformedOutput(f"did not call the {CRITIQUE_TOOL_NAME} tool (stop reason {msg.stop_reason})")
            critiques = parse_critiques(call.input, [s.variant_id for s in req.scores])
        except MalformedOutput as exc:
            raise ProviderError(f"Anthropic returned a malformed critique ({exc}).", retryable=True) from exc
        return CritiqueResult(critiques=critiques, usage=self._usage(msg.usage.input_tokens, msg.usage.output_tokens))

    @staticmethod
    def _repair(msg: Any, call: Any, problem: str) -> list[dict[str, Any]]:
        assistant = {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in msg.content]}
        if call is not None:
            reply = [{"type": "tool_result", "tool_use_id": call.id, "is_error": True, "content": repair_instruction(problem)}]
            return [assistant, {"role": "user", "content": reply}]
        return [assistant, {"role": "user", "content": repair_instruction(problem)}]

    def _usage(self, tokens_in: int, tokens_out: int) -> Usage:
        return usage(self.name, self.model, tokens_in, tokens_out)
