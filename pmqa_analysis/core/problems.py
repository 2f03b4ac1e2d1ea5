"""The problems table: every data problem found, in one tidy frame.

One row per problem with the columns ``severity`` (``error`` or ``warning``),
``kind`` (a stable identifier, e.g. ``missing_column``), ``file``, ``row`` (the
row number as the user sees it in Excel: the header is row 1, so the first data
row is 2; empty for a whole-file or whole-column problem), ``column``,
``value`` (what was found), ``expected`` and ``hint`` (in the chosen language).

Examples
--------
>>> p = ProblemLog()
>>> p.add("bad_score", file="responses.csv", row=7, column="Q01", value="9",
...       expected="1-5", expected_th="1-5")
>>> p.has_errors
True
>>> p.table("en")[["file", "row", "column", "value"]].to_dict("records")
[{'file': 'responses.csv', 'row': 7, 'column': 'Q01', 'value': '9'}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["PROBLEM_COLUMNS", "Problem", "ProblemLog", "excerpt", "format_problems"]

PROBLEM_COLUMNS = ["severity", "kind", "file", "row", "column", "value", "expected", "hint"]


@dataclass(frozen=True)
class Problem:
    """One problem found in the input (both languages kept)."""

    kind: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str = ""
    expected_th: str = ""
    hint: str = ""
    hint_th: str = ""
    severity: str = "error"


@dataclass
class ProblemLog:
    """Collects problems so that all of them are reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        kind: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        expected: str = "",
        expected_th: str = "",
        hint: str = "",
        hint_th: str = "",
        severity: str = "error",
    ) -> None:
        """Record one problem; ``value`` is kept as text, whole up to 1,000 characters.

        A longer value (a 3 MB cell) keeps its start and its end around a note of its
        length, so the part that matters is still there (:func:`excerpt`).
        """
        shown = None if value is None else _shorten(str(value))
        self.problems.append(
            Problem(
                kind=kind,
                file=file,
                row=row,
                column=column,
                value=shown,
                expected=expected,
                expected_th=expected_th or expected,
                hint=hint,
                hint_th=hint_th or hint,
                severity=severity,
            )
        )

    def extend(self, other: ProblemLog) -> None:
        """Append every problem of ``other``."""
        self.problems.extend(other.problems)

    @property
    def has_errors(self) -> bool:
        """True when at least one problem is an error."""
        return any(p.severity == "error" for p in self.problems)

    def table(self, language: str = "th") -> pd.DataFrame:
        """The problems as a frame with :data:`PROBLEM_COLUMNS` (stable order)."""
        th = language == "th"
        rows = [
            {
                "severity": p.severity,
                "kind": p.kind,
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "expected": p.expected_th if th else p.expected,
                "hint": p.hint_th if th else p.hint,
            }
            for p in self.problems
        ]
        df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        order = {"error": 0, "warning": 1}
        df["_s"] = df["severity"].map(order)
        df = df.sort_values(["_s", "file", "row", "column"], kind="stable", na_position="first")
        return df.drop(columns="_s").reset_index(drop=True)


def _shorten(text: str) -> str:
    return excerpt(text)


def excerpt(text: str, limit: int = 1000, head: int = 700, tail: int = 200) -> str:
    """``text`` whole when short; otherwise its start and end around a length note.

    Examples
    --------
    >>> excerpt("x" * 10)
    'xxxxxxxxxx'
    >>> e = excerpt("a" * 700 + "b" * 5000 + "z" * 200)
    >>> e.startswith("a" * 700) and e.endswith("z" * 200), "5,900 characters" in e
    (True, True)
    """
    if len(text) <= limit:
        return text
    return f"{text[:head]} … [{len(text):,} characters / ตัวอักษร] … {text[-tail:]}"


def format_problems(table: pd.DataFrame, language: str = "th", limit: int = 200) -> str:
    """Render a problems table as plain text for the terminal.

    Examples
    --------
    >>> log = ProblemLog()
    >>> log.add("missing_column", file="units.csv", column="unit_code",
    ...         expected="a column named unit_code", hint="add the column")
    >>> print(format_problems(log.table("en"), "en"))
    ERROR  units.csv  column unit_code: expected a column named unit_code; add the column
    """
    lines = []
    th = language == "th"
    label = {"error": "ข้อผิดพลาด" if th else "ERROR", "warning": "คำเตือน" if th else "WARN"}
    for rec in table.head(limit).to_dict("records"):
        where = [str(rec["file"])]
        if not pd.isna(rec["row"]):
            where.append(("แถว " if th else "row ") + str(rec["row"]))
        if rec["column"]:
            where.append(("คอลัมน์ " if th else "column ") + str(rec["column"]))
        severity = str(rec["severity"])
        msg = f"{label.get(severity, severity)}  " + "  ".join(where[:1])
        if len(where) > 1:
            msg += "  " + ", ".join(where[1:])
        detail = []
        value = rec["value"]
        if value is not None and not pd.isna(value):
            detail.append(("พบ " if th else "found ") + repr(str(value)))
        if rec["expected"]:
            detail.append(("ต้องการ " if th else "expected ") + str(rec["expected"]))
        text = ("; ".join(detail)) if detail else ""
        if rec["hint"]:
            text = f"{text}; {rec['hint']}" if text else str(rec["hint"])
        lines.append(f"{msg}: {text}" if text else msg)
    if len(table) > limit:
        more = len(table) - limit
        lines.append(f"... และอีก {more} รายการ" if th else f"... and {more} more")
    return "\n".join(lines)
