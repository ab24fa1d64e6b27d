"""Stand-in HTTP servers on loopback that speak the Anthropic Messages API and OpenAI chat completions.

The real SDKs are pointed at them with `base_url`, so the providers' real client code runs with no
network. Each test scripts the replies in order (`server.script(...)`); every request is recorded
(path, headers, JSON body) for assertions. Replies are built by the helpers at the bottom:

    with AnthropicStandIn() as api:
        api.script(reply_ok(drafts_fn), status(429, retry_after=7))

Critique requests carry a <review> instead of a <brief>; `reply_critiques(fn)` answers them.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A reply is a function of (api, request JSON) -> (status, headers, body).
Reply = Callable[[str, dict[str, Any]], tuple[int, dict[str, str], Any]]
DraftsFn = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
CritiquesFn = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def slots_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The variants_to_write entries from the <brief> in a request's first user message."""
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str) and "<brief>" in content:
            return json.loads(content.split("<brief>", 1)[1].split("</brief>", 1)[0])["variants_to_write"]
    raise AssertionError("no <brief> in request")


def review_of(body: dict[str, Any]) -> dict[str, Any]:
    """The <review> (brand, platform, scored variants) from a critique request's user message."""
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str) and "<review>" in content:
            return json.loads(content.split("<review>", 1)[1].split("</review>", 1)[0])
    raise AssertionError("no <review> in request")


@dataclass
class StandIn:
    api: str = "anthropic"
    requests: list[Recorded] = field(default_factory=list)
    replies: deque[Reply] = field(default_factory=deque)
    default: Reply | None = None

    def script(self, *replies: Reply) -> StandIn:
        self.replies.extend(replies)
        return self

    def __enter__(self) -> StandIn:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw or b"{}")
                outer.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = outer.replies.popleft() if outer.replies else outer.default
                if reply is None:
                    code, headers, payload = 500, {}, _error_body(outer.api, 500, "stand-in has no reply scripted")
                else:
                    code, headers, payload = reply(outer.api, body)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        root = f"http://{host}:{port}"
        return f"{root}/v1" if self.api == "openai" else root  # the OpenAI SDK expects /v1 in base_url


def AnthropicStandIn() -> StandIn:  # noqa: N802
    return StandIn(api="anthropic")


def OpenAIStandIn() -> StandIn:  # noqa: N802
    return StandIn(api="openai")


# ----------------------------------------------------------------------------- replies


def _error_body(api: str, code: int, message: str) -> dict[str, Any]:
    kinds = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        429: "rate_limit_error",
        500: "api_error",
        529: "overloaded_error",
    }
    if api == "anthropic":
        return {"type": "error", "error": {"type": kinds.get(code, "api_error"), "message": message}}
    return {"error": {"message": message, "type": kinds.get(code, "server_error"), "param": None, "code": None}}


def _forced_tool(body: dict[str, Any]) -> str:
    choice = body.get("tool_choice") or {}
    return str(choice.get("name") or "submit_variants")


def _envelope(api: str, body: dict[str, Any], output: Any, raw_text: str | None = None) -> dict[str, Any]:
    """Wrap structured output (or raw text) in each API's response shape, with token usage."""
    if api == "anthropic":
        content = (
            [{"type": "text", "text": raw_text}]
            if raw_text is not None
            else [{"type": "tool_use", "id": "toolu_standin_1", "name": _forced_tool(body), "input": output}]
        )
        return {
            "id": "msg_standin",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": content,
            "stop_reason": "end_turn" if raw_text is not None else "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 1200, "output_tokens": 300},
        }
    text = raw_text if raw_text is not None else json.dumps(output)
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", ""),
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "logprobs": None,
                "message": {"role": "assistant", "content": text, "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
    }


def reply_ok(drafts: DraftsFn) -> Reply:
    """A normal structured response: `drafts(slots)` writes one variant dict per requested slot."""

    def reply(api: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        return 200, {}, _envelope(api, body, {"variants": drafts(slots_of(body))})

    return reply


def reply_critiques(critiques: CritiquesFn) -> Reply:
    """A structured critique response: `critiques(variants)` gets the review's variants, returns the items."""

    def reply(api: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        return 200, {}, _envelope(api, body, {"critiques": critiques(review_of(body)["variants"])})

    return reply


def reply_malformed(kind: str = "schema") -> Reply:
    """Output that fails the schema ('schema': variants lack headlines) or is not JSON at all ('text')."""

    def reply(api: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        if kind == "text":
            return 200, {}, _envelope(api, body, None, raw_text="Sure! Here are some great ads: ...")
        return 200, {}, _envelope(api, body, {"variants": [{"id": s["id"], "body": "no headline"} for s in slots_of(body)]})

    return reply


def status(code: int, retry_after: float | str | None = None, message: str = "stand-in error") -> Reply:
    def reply(api: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        return code, headers, _error_body(api, code, message)

    return reply
