"""Logs as one JSON object per line, and the filter that keeps client errors quiet."""

import contextvars
import datetime
import json
import logging

# The id of the request being served, stamped on every record logged while it runs.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "accord_request_id", default=None
)

# LogRecord's own attributes: whatever else a record carries came from `extra=`.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request",  # Django's HttpRequest, passed by django.request: not JSON, and it may hold secrets
    "server_time",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        request_id = request_id_var.get()
        if request_id and "request_id" not in entry:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class QuietClientErrors(logging.Filter):
    """Client errors are ordinary: no duplicate line and no traceback for them.

    Django logs every 4xx on django.request (a 403 with its traceback); the access log has
    those requests already, so they are dropped. django.security.* records (a bad Host
    header, a CSRF failure) stay, without the traceback. 5xx records keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            return False
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True
