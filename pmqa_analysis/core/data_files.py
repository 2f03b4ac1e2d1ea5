"""The kit's data files: a built-in one from ``pmqa_analysis/data/`` or the user's copy.

Scales, the criteria catalogue, band presets, themes, templates and the action library are
TOML files; each loader reads the built-in file or a user's file through
:func:`data_file_text`, so a missing or unreadable file is reported the same way everywhere.

Examples
--------
>>> text, shown = data_file_text(None, "bands.toml", "band presets")
>>> shown
'pmqa_analysis/data/bands.toml'
>>> "half_point" in text
True
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pmqa_analysis.core.errors import CatalogueError

__all__ = ["data_file_text", "package_toml"]


def data_file_text(
    path: str | Path | None,
    builtin: str,
    what: str,
    not_found_hint: str = "check the path (relative paths are taken from the current folder)",
) -> tuple[str, str]:
    """The text of a data file and the name to show in messages.

    Parameters
    ----------
    path : str or Path or None
        The user's file; ``None`` means the built-in ``pmqa_analysis/data/<builtin>``.
    builtin : str
        The built-in file's name.
    what : str
        What the file is, for messages ("scale file", "criteria catalogue").
    not_found_hint : str
        The fix to suggest when ``path`` does not exist.

    Raises
    ------
    CatalogueError
        The file does not exist or is not UTF-8 text.

    Examples
    --------
    >>> data_file_text("/nonexistent.toml", "scales.toml", "scale file")
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.CatalogueError: scale file /nonexistent.toml not found: check ...
    """
    if path is None:
        text = resources.files("pmqa_analysis").joinpath("data", builtin).read_text("utf-8")
        return text, f"pmqa_analysis/data/{builtin}"
    shown = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig"), shown
    except FileNotFoundError:
        raise CatalogueError(f"{what} {shown} not found: {not_found_hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(
            f"{what} {shown} could not be read ({exc}): save it as UTF-8 text"
        ) from None


def package_toml(name: str) -> dict[str, Any]:
    """A built-in TOML file of ``pmqa_analysis/data/``, parsed.

    Examples
    --------
    >>> sorted(package_toml("bands.toml"))
    ['labels', 'meta', 'presets']
    """
    return tomllib.loads(data_file_text(None, name, "data file")[0])
