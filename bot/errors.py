"""Errors shared by the entry points, and the exit statuses of the contract."""

EXIT_OK = 0
EXIT_SOURCE_FAILED = 1
EXIT_USAGE = 2


class NewsbotError(Exception):
    """Base of newsbot's own errors."""


class UsageError(NewsbotError):
    """Bad arguments or an invalid query: exit status 2 with a one-line message."""
