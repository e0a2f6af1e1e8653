"""The server's logging: every line CPR-masked, one line per record, never a traceback.

Person ids travel in request bodies, never in URLs, but a client may still put a CPR number in
a query (a policy value, a misspelt parameter) or a bug's message may quote one; so every
record that reaches a handler of the server, uvicorn's access and error logs and lab-rules'
own, passes :class:`MaskCpr` first. An exception attached to a record is reduced to one line
(its type and masked message), as the command line never prints a traceback either.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from lab_rules.core.privacy import mask_cpr

__all__ = ["LOGGER", "MaskCpr", "log_config"]

LOGGER = "lab_rules.serve"
_LONGEST_SAID = 300


def _masked(value: object) -> object:
    if isinstance(value, int | float):
        return value
    return mask_cpr(str(value))


class MaskCpr(logging.Filter):
    """Masks CPR numbers in a record's message, its arguments and its exception, which it
    reduces to one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_cpr(str(record.msg))
        if isinstance(record.args, Mapping):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        if record.exc_info is not None:
            error = record.exc_info[1]
            if error is not None:
                said = mask_cpr(f"{type(error).__name__}: {error}")[:_LONGEST_SAID]
                record.msg += " (" + (said.replace("%", "%%") if record.args else said) + ")"
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging configuration (its formatters: access lines on stdout, the rest on
    stderr) with :class:`MaskCpr` on every handler, and lab-rules' logger beside uvicorn's."""
    mask = {"filters": ["mask_cpr"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask_cpr": {"()": MaskCpr}},
        "formatters": {
            "default": {"()": "uvicorn.logging.DefaultFormatter",
                        "fmt": "%(levelprefix)s %(message)s", "use_colors": None},
            "access": {"()": "uvicorn.logging.AccessFormatter",
                       "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" '
                              "%(status_code)s"},
        },
        "handlers": {
            "default": {"formatter": "default", "class": "logging.StreamHandler",
                        "stream": "ext://sys.stderr", **mask},
            "access": {"formatter": "access", "class": "logging.StreamHandler",
                       "stream": "ext://sys.stdout", **mask},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["access"], "level": level.upper(),
                               "propagate": False},
            LOGGER: {"handlers": ["default"], "level": level.upper(), "propagate": False},
        },
    }
