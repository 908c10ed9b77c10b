"""Structured JSON logs that cannot carry the user's text.

Only whitelisted fields are written: a record's message (a fixed phrase chosen by our code) and
the operational extras in ``FIELDS``. Goals, public work, drafts and keys are never passed as
extras, and anything else attached to a record is dropped, so a careless ``extra=`` cannot leak
them. Tracebacks are reduced to the exception's type: exception messages can echo user text or
a provider's error (which may contain a key).

``request_meter`` carries the current request's id and model usage from the HTTP middleware
down to the model client, so the request's log line has model, tokens and calls.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["FIELDS", "JsonFormatter", "RequestMeter", "configure_logging", "request_meter"]

FIELDS = ("request_id", "method", "path", "status", "latency_ms", "model", "prompt_tokens",
          "completion_tokens", "model_calls", "error_type", "http_status", "attempt",
          "client", "exception")


@dataclass
class RequestMeter:
    """What one request spent on models; filled by the metered client, logged at the end."""

    request_id: str
    models: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = 0


request_meter: ContextVar[RequestMeter | None] = ContextVar("request_meter", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line with whitelisted fields only."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage() if not record.args else record.msg,
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                doc[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            doc["exception_type"] = record.exc_info[0].__name__
        meter = request_meter.get()
        if meter is not None and "request_id" not in doc:
            doc["request_id"] = meter.request_id
        return json.dumps(doc, default=str)


def configure_logging(level: str = "info") -> None:
    """JSON lines on stderr for drafter and uvicorn; third-party debug output stays off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Access lines would duplicate ours without the request id; ours never carry bodies.
    logging.getLogger("uvicorn.access").disabled = True
    # Client libraries log request options (prompts, headers) at debug level: keep them quiet.
    for name in ("openai", "httpx", "httpcore", "LiteLLM", "litellm"):
        logging.getLogger(name).setLevel(logging.WARNING)
