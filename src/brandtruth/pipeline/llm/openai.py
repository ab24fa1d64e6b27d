"""OpenAI provider: the official SDK's chat completions with a strict JSON-schema response format.

OPENAI_BASE_URL is honoured, so OpenAI-compatible self-hosted servers work. The client is built per
call with max_retries=0 (Temporal's retry policy owns retries); the key never leaves this module.
"""

from __future__ import annotations

from typing import Any

import openai

from ..errors import ProviderError
from .base import CopyProvider, CopyRequest, CritiqueRequest, CritiqueResult, ProviderResult
from .critiquing import CRITIQUE_SYSTEM_PROMPT, CRITIQUES_SCHEMA, critique_message, parse_critiques
from .failures import to_provider_error
from .prompting import SYSTEM_PROMPT, VARIANTS_SCHEMA, MalformedOutput, parse_batch, repair_instruction, usage, user_message
from .provider_settings import ProviderSettings

RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "ad_variants", "strict": True, "schema": VARIANTS_SCHEMA},
}
CRITIQUE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "ad_critiques", "strict": True, "schema": CRITIQUES_SCHEMA},
}


class OpenAIProvider(CopyProvider):
    name = "openai"

    def __init__(self, settings: ProviderSettings):
        if settings.openai_api_key is None:
            raise ProviderError("OPENAI_API_KEY is not set in the worker's environment.", retryable=False)
        self._key = settings.openai_api_key
        self._base_url = settings.openai_base_url
        self._timeout = settings.timeout_seconds
        self.model = settings.openai_model

    def __repr__(self) -> str:
        return f"OpenAIProvider(model={self.model!r}, base_url={self._base_url!r})"

    def _error(self, exc: Exception) -> ProviderError:
        return to_provider_error(
            exc,
            provider="openai",
            key_var="OPENAI_API_KEY",
            model_var="OPENAI_MODEL",
            url_var="OPENAI_BASE_URL",
            feature="structured outputs (json_schema)",
            secret=self._key.get_secret_value(),
        )

    async def write(self, req: CopyRequest) -> ProviderResult:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_message(req)},
        ]
        tokens_in = tokens_out = 0
        problem = ""
        async with openai.AsyncOpenAI(
            api_key=self._key.get_secret_value(), base_url=self._base_url, max_retries=0, timeout=self._timeout
        ) as client:
            for attempt in (1, 2):  # the first answer, then one repair
                try:
                    completion = await client.chat.completions.create(  # type: ignore[call-overload]
                        model=self.model,
                        messages=messages,
                        response_format=RESPONSE_FORMAT,
                    )
                except openai.OpenAIError as exc:
                    raise self._error(exc) from exc
                if completion.usage is not None:
                    tokens_in += completion.usage.prompt_tokens
                    tokens_out += completion.usage.completion_tokens
                message = completion.choices[0].message if completion.choices else None
                content = message.content if message else None
                try:
                    if message is not None and getattr(message, "refusal", None):
                        raise MalformedOutput(f"was a refusal ({message.refusal})")
                    if not content:
                        raise MalformedOutput("was empty")
                    drafts = parse_batch(content)
                    return ProviderResult(drafts=drafts, usage=usage(self.name, self.model, tokens_in, tokens_out))
                except MalformedOutput as exc:
                    problem = str(exc)
                    if attempt == 2:
                        break
                    messages += [
                        {"role": "assistant", "content": content or ""},
                        {"role": "user", "content": repair_instruction(problem)},
                    ]
        raise ProviderError(f"OpenAI returned malformed output twice ({problem}); will retry.", retryable=True)

    async def critique(self, req: CritiqueRequest) -> CritiqueResult:
        """One call, no repair round: a critique is optional, so a bad answer is simply none."""
        messages = [{"role": "system", "content": CRITIQUE_SYSTEM_PROMPT}, {"role": "user", "content": critique_message(req)}]
        async with openai.AsyncOpenAI(
            api_key=self._key.get_secret_value(), base_url=self._base_url, max_retries=0, timeout=self._timeout
        ) as client:
            try:
                completion = await client.chat.completions.create(  # type: ignore[call-overload]
                    model=self.model,
                    messages=messages,
                    response_format=CRITIQUE_FORMAT,
                )
            except openai.OpenAIError as exc:
                raise self._error(exc) from exc
        tokens = completion.usage
        message = completion.choices[0].message if completion.choices else None
        try:
            if message is not None and getattr(message, "refusal", None):
                raise MalformedOutput(f"was a refusal ({message.refusal})")
            if message is None or not message.content:
                raise MalformedOutput("was empty")
            critiques = parse_critiques(message.content, [s.variant_id for s in req.scores])
        except MalformedOutput as exc:
            raise ProviderError(f"OpenAI returned a malformed critique ({exc}).", retryable=True) from exc
        return CritiqueResult(
            critiques=critiques,
            usage=usage(self.name, self.model, tokens.prompt_tokens if tokens else 0, tokens.completion_tokens if tokens else 0),
        )
