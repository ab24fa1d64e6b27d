"""Logging: every record carries the workflow id it concerns (from a context variable); JSON optional."""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

workflow_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("workflow_id", default=None)


class _WorkflowIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.workflow_id = getattr(record, "workflow_id", None) or workflow_id_var.get() or "-"
        return True


_TOKEN_IN_URL = re.compile(r"(?i)([?&](?:token|access_token)=)[^&\s\"]+")


class RedactTokens(logging.Filter):
    """Run tokens travel in URLs (?token=, for EventSource and <img>): keep them out of access logs,
    where each would give anyone who reads the log ten minutes of access to that run."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_TOKEN_IN_URL.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_URL.sub(r"\1[redacted]", record.msg)
        return True


def redact_access_log() -> None:
    """Install RedactTokens on uvicorn's access logger (once; uvicorn's own logging config keeps filters)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "workflow_id": getattr(record, "workflow_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(json_logs: bool = False, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_WorkflowIdFilter())
    handler.setFormatter(
        JsonFormatter() if json_logs else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(workflow_id)s]: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
