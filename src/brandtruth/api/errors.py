"""How the API's responses look in /openapi.json beyond the happy path: errors, the SSE stream, artifacts.

Engine and access errors become {"detail": "..."} with their code (src/brandtruth/api/app.py, src/brandtruth/api/auth.py), the
body-size cap answers 413 (src/brandtruth/api/middleware.py), FastAPI's own request validation is 422 with a list
of field errors, and a body that is not JSON at all is 400. Documenting them lets clients (and the
Schemathesis suite in tests/fuzz/) check every response against the schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from brandtruth.pipeline.models import ProgressEvent


class ErrorResponse(BaseModel):
    detail: str | list[dict[str, Any]] = Field(
        ..., description="What went wrong and what to do; for invalid request fields, one entry per field."
    )


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
