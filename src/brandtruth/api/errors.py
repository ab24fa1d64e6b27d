"""How the API's responses look in /openapi.json beyond the happy path: errors, the SSE stream, artifacts.

Engine and access errors become {"detail": "..."} with their code (src/brandtruth/api/app.py, src/brandtruth/api/auth.py), the
body-size cap answers 413 (src/brandtruth/api/middleware.py), FastAPI's own request validation is 422 with a list
of field errors (each `msg` written for people, joined in `message`; `validation_error` below), and a
body that is not JSON at all is 400. Documenting them lets clients (and the
Schemathesis suite in tests/fuzz/) check every response against the schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from brandtruth.pipeline.models import ProgressEvent


class ErrorResponse(BaseModel):
    detail: str | list[dict[str, Any]] = Field(
        ..., description="What went wrong and what to do; for invalid request fields, one entry per field."
    )
    message: str | None = Field(None, description="For invalid request fields: every field's message in one line.")


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("The body is not valid JSON"),
    401: _error("Missing, invalid or expired token (only when BRANDTRUTH_API_TOKENS is set)"),
    403: _error("The token is for another run"),
    404: _error("Unknown run, batch or artifact"),
    409: _error("The run is not in a state that allows this (e.g. approving a run that is not awaiting approval)"),
    413: _error("The request body is over the size limit"),
    422: _error("Invalid input: bad URL, unknown variant id, a value out of range"),
    429: _error("Too many open streams from this client"),
    503: _error(
        "Neither engine can take the run, or Temporal is down and the run cannot be looked up: "
        "nothing was done; retry after the Retry-After header's seconds"
    ),
}


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its $defs inlined, so it can sit anywhere in the OpenAPI document."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        return [walk(v) for v in node] if isinstance(node, list) else node

    return walk(schema)  # type: ignore[no-any-return]


# OpenAPI 3.1 reads the `schema` of text/event-stream as the schema of each event.
SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "data"],
    "properties": {
        "event": {"const": "message", "description": "Always the default event, so EventSource.onmessage sees it"},
        "id": {"type": "string", "pattern": "^[0-9]+$", "description": "The event's id; send it back as Last-Event-ID"},
        "retry": {"type": "integer", "minimum": 0},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": _inlined(ProgressEvent.model_json_schema()),
        },
    },
}

STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: one default (`message`) event per progress event, JSON with a `type`",
        "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}},
    },
    204: {"description": "The run has ended and the client already has its last event: stop reconnecting"},
}

ARTIFACT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The stored file: a PNG/JPEG creative, a source image, or the export zip",
        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
    },
}

PNG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "A PNG image", "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}},
}


# ----------------------------------------------------------------------------- 422s for people

MAX_ECHO = 80  # characters of a refused value repeated back in a message


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """`["body", "items", 0, "url"]` -> "items[0].url"; the body itself is "the body"."""
    name = ""
    for part in list(loc)[1:] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else list(loc):
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "the body"


def _echo(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= MAX_ECHO else value[: MAX_ECHO - 1] + "…"
        return f'"{text}"'
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def human_message(err: dict[str, Any]) -> str:
    """One sentence a person can act on for one of pydantic's field errors (never its own wording)."""
    field, kind, ctx, value = _field(err.get("loc", ())), err.get("type", ""), err.get("ctx") or {}, err.get("input")
    in_body = list(err.get("loc", ()))[:1] == ["body"]  # a query or header value is text as typed: no quotes
    shown = _echo(value) if in_body or not isinstance(value, str) else _echo(value).strip('"')
    got = f" (got {shown})" if isinstance(value, str | int | float | bool) or value is None else ""
    if kind == "missing":
        return f"{field} is required."
    if kind == "extra_forbidden":
        return f"{field} is not a field this endpoint takes; check its spelling (the API docs at /docs list the fields)."
    if kind == "value_error":
        text = str(ctx.get("error") or err.get("msg", "")).removeprefix("Value error, ")
        last = str(list(err.get("loc", ()))[-1]) if err.get("loc") else field
        text = text.removeprefix(f"{field}: ").removeprefix(f"{last}: ")  # our validators may name the field
        return text if text.startswith(field) else f"{field}: {text}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field} must be a whole number, written without quotes{got}."
    if kind in ("float_type", "float_parsing"):
        return f"{field} must be a number, written without quotes{got}."
    if kind in ("bool_type", "bool_parsing"):
        return f"{field} must be true or false, written without quotes{got}."
    if kind == "string_type":
        return f"{field} must be text in quotes{got}."
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"{field} must be a list, e.g. [...]{got}."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{field} must be a JSON object {{...}}{got}."
    if kind == "literal_error" or kind == "enum":
        return f"{field} must be one of {ctx.get('expected', 'the listed values')}{got}."
    bounds = {
        "greater_than_equal": "at least",
        "greater_than": "more than",
        "less_than_equal": "at most",
        "less_than": "less than",
    }
    if kind in bounds:
        limit = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), "?")
        return f"{field} must be {bounds[kind]} {limit}{got}."
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if kind.startswith("string") else "items"
        return f"{field} is too long: at most {ctx.get('max_length')} {unit}."
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        return f"{field} must not be empty." if least == 1 else f"{field} needs at least {least} items."
    if kind == "json_invalid":
        return f"The body is not valid JSON ({ctx.get('error', 'cannot be parsed')})."
    return f"{field}: {err.get('msg', 'invalid value')}."


def readable_errors(errors: Any) -> list[dict[str, Any]]:
    """FastAPI's field errors with `msg` written for people; `loc` and `type` stay for programs. A
    refused value is kept when it is small, never a whole body."""
    out = []
    for err in errors:
        msg = human_message(err)
        msg = "The" + msg[3:] if msg.startswith("the body") else msg
        entry = {"loc": list(err.get("loc", ())), "type": err.get("type", ""), "msg": msg}
        if isinstance(err.get("input"), str | int | float | bool):
            entry["input"] = err["input"] if not isinstance(err["input"], str) else err["input"][:MAX_ECHO]
        out.append(entry)
    return out


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 for a request that does not fit its model: `detail` is the list of field errors (each with
    a `msg` a person can read) and `message` joins them into the one line a page or terminal shows."""
    detail = readable_errors(exc.errors() if isinstance(exc, RequestValidationError) else [])
    return JSONResponse({"detail": detail, "message": " ".join(e["msg"] for e in detail)}, status_code=422)
