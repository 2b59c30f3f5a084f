"""Errors meant for people: one line that says what went wrong and where."""


class LogviewError(Exception):
    """A problem with the user's input or request, reported as one line, never a traceback."""


class Cancelled(LogviewError):
    """The caller asked for the running work to stop."""

    def __init__(self) -> None:
        super().__init__("cancelled")
