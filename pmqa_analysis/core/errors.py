"""The kit's exceptions: one base class, a few subclasses.

Every error a user can cause derives from :class:`PMQAError`; the command line
prints its message (no traceback) and exits with its ``exit_code``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CatalogueError",
    "InputError",
    "PMQAError",
    "ReadError",
    "ValidationError",
]


class PMQAError(Exception):
    """Base class of every error the kit raises on purpose."""

    exit_code: int = 2


class InputError(PMQAError):
    """A user-supplied argument or setting is wrong (bad path, unknown option)."""


class ReadError(InputError):
    """A file could not be read or decoded.

    Parameters
    ----------
    message : str
        What went wrong and how to fix it.
    file : str, optional
        The file that could not be read.
    """

    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


class CatalogueError(InputError):
    """A criteria catalogue or scale file is invalid."""


class ValidationError(InputError):
    """Input data failed validation; ``problems`` holds every problem found.

    Parameters
    ----------
    problems : pandas.DataFrame
        The problems table (see :mod:`pmqa_analysis.core.problems`).
    message : str, optional
        A summary line; by default built from the table.
    """

    def __init__(self, problems: pd.DataFrame, message: str | None = None) -> None:
        self.problems = problems
        n_err = int((problems["severity"] == "error").sum()) if len(problems) else 0
        super().__init__(message or f"{n_err} error(s) found in the input data")
