"""Errors that the CLI turns into one clear line and exit code 2.

Every problem with user input is raised as :class:`InputError` carrying the
file, line (and column when known) so the message points at the exact place;
nothing in mt_eval should let a traceback reach a user for bad input.
"""
from __future__ import annotations


class MtEvalError(Exception):
    """Base class of every error mt_eval raises on purpose."""


class UsageError(MtEvalError):
    """The command line or API call asks for something impossible."""


class InputError(MtEvalError):
    """Bad input data: a file that cannot be read, parsed or aligned.

    ``str(err)`` is ``path:line:col: message`` (line and column omitted when
    unknown) so editors and CI systems can jump to the place.
    """

    def __init__(self, message: str, path: str | None = None,
                 line: int | None = None, column: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self.format())

    def format(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
            if self.line is not None:
                where.append(str(self.line))
                if self.column is not None:
                    where.append(str(self.column))
        prefix = ":".join(where)
        # Keep the error on one line whatever the message holds.
        msg = " ".join(self.message.split())
        return f"{prefix}: {msg}" if prefix else msg


class DependencyError(MtEvalError):
    """An optional extra (spaCy, torch, a model) is needed and missing."""
