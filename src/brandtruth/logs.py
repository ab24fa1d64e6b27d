"""Logging: every record carries the workflow id it concerns (from a context variable); JSON optional."""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

workflow_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("workflow_id", default=None)


class _WorkflowIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.workflow_id = getattr(record, "workflow_id", None) or workflow_id_var.get() or "-"
        return True


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
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(workflow_id)s]: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
