"""Errors a user can act on. Each carries a short code, used by the CLI (exit 2) and the API (4xx)."""

from __future__ import annotations


class CheckerError(Exception):
    """Anything that stops a check; ``str(err)`` is the one-line reason shown to the user."""

    code = "error"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class InputError(CheckerError):
    """The document cannot be checked as given: wrong type, corrupt, encrypted, scanned, empty, too big."""

    code = "unreadable"


class UnsupportedType(InputError):
    code = "unsupported_type"


class TooLarge(InputError):
    code = "too_large"


class ParseTimeout(InputError):
    code = "timeout"


class CheckTimeout(InputError):
    """The whole check (parsing and analysis) took longer than allowed."""

    code = "timeout"


class Cancelled(CheckerError):
    """The caller gave up (a web client went away); the check was stopped."""

    code = "cancelled"


class ConfigError(CheckerError):
    """A rule file, catalogue or option is wrong."""

    code = "config"
