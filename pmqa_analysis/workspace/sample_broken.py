"""A deliberately broken copy of a sample workspace, with the problems it should raise.

:func:`make_broken_workspace` plants one known problem per cell (and one missing
column) into a copy of a workspace written by
:func:`~pmqa_analysis.workspace.sample.make_sample_workspace`, and returns the
problems table that validation is expected to report: the test of the loader's
messages, and the ``pmqa sample --broken`` demo.
"""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.sample_province import write_csv

__all__ = ["make_broken_workspace"]


def _read_str(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def make_broken_workspace(src_dir: str | Path, dst_dir: str | Path) -> pd.DataFrame:
    """Copy a CSV sample workspace and seed known problems into the copy.

    The source is only read.  Each problem is planted in its own cell (or, for the missing
    column, its own file), so validation of the copy should report exactly these problems
    (and may add warnings).

    Parameters
    ----------
    src_dir : str or Path
        A valid workspace written by :func:`make_sample_workspace` with CSV responses.
    dst_dir : str or Path
        Where to write the broken copy (must not be inside ``src_dir``).

    Returns
    -------
    pandas.DataFrame
        The expected problems, one row each, sorted: ``file``, ``row`` (as Excel shows it:
        header = 1, first data row = 2; missing for a whole-column problem), ``column`` (the
        header as written in the file), ``kind`` (the problem kind of
        :mod:`pmqa_analysis.core.problems`) and ``value`` (what was planted).

    Raises
    ------
    InputError
        When the source is not such a workspace or the destination is inside it.

    Examples
    --------
    >>> import tempfile
    >>> from pmqa_analysis.workspace.sample import make_sample_workspace
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = make_sample_workspace(f"{d}/ok", n_units=4, reach_sample_size=False)
    ...     expected = make_broken_workspace(src, f"{d}/broken")
    >>> len(expected), expected["kind"].is_unique
    (16, True)
    """
    src, dst = Path(src_dir).resolve(), Path(dst_dir).resolve()
    names = ("units", "groups", "questionnaire", "responses", "complaints",
             "service_standards", "service_log", "activities", "checklist")  # fmt: skip
    missing = [f"{n}.csv" for n in names if not (src / f"{n}.csv").is_file()]
    if missing:
        raise InputError(
            f"{src}: {', '.join(missing)} not found; expected a CSV workspace written by "
            "make_sample_workspace(..., responses_format='csv')"
        )
    if dst == src or src in dst.parents:
        raise InputError(f"{dst}: the broken copy must not be written inside the source {src}")
    frames = {n: _read_str(src / f"{n}.csv") for n in names}
    small = [
        n for n in names if n not in ("units", "groups", "questionnaire") and len(frames[n]) < 12
    ]
    if len(frames["units"]) < 3 or len(frames["groups"]) < 3 or small:
        raise InputError(f"{src}: too few rows to seed problems ({', '.join(small) or 'units'})")
    expected: list[tuple[str, int | None, str, str, str]] = []

    def plant(name: str, pos: int, column: str, value: str, kind: str) -> None:
        frames[name].loc[pos, column] = value
        expected.append((f"{name}.csv", pos + 2, column, kind, value))

    q = frames["questionnaire"]
    header = {c: (h or c) for c, h in zip(q["item_code"], q["column_header"], strict=True)}
    plant("units", 2, "service_population", "-500", "negative_number")
    plant("groups", 2, "group_name_th", "", "required_value_missing")
    plant("questionnaire", 4, "scale", "th7", "unknown_scale")
    resp = frames["responses"]
    plant("responses", 3, header[q["item_code"].iloc[0]], "ดีมาก", "bad_score")
    plant("responses", 5, "unit_code", "U99", "unknown_unit_code")
    plant("responses", 7, "group_code", "G99", "unknown_group_code")
    plant("responses", 9, "respondent_id", str(resp.loc[8, "respondent_id"]), "duplicate_key")
    comp = frames["complaints"]
    closed = comp.index[
        (comp["closed_date"] != "") & comp["received_date"].str.fullmatch(r"\d{4}-\d\d-\d\d")
    ]
    pos = int(closed[closed >= 3][0]) if (closed >= 3).any() else None
    if pos is None:
        raise InputError(f"{src}: no closed complaint with an ISO date to seed a problem into")
    before = _dt.date.fromisoformat(str(comp.loc[pos, "received_date"])) - _dt.timedelta(days=5)
    plant("complaints", pos, "closed_date", before.isoformat(), "closed_before_received")
    spare = [p for p in range(12) if p != pos]
    plant("complaints", spare[0], "channel_code", "FAX", "unknown_channel_code")
    plant("complaints", spare[1], "forwarded", "อาจจะ", "bad_yes_no")
    plant("service_log", 4, "service_date", "31/02/2567", "bad_date")
    plant("service_log", 8, "service_code", "S99", "unknown_service")
    plant("activities", 1, "participants", "ประมาณ 30 คน", "not_a_number")
    plant("checklist", 2, "status", "เสร็จแล้ว", "bad_choice")
    plant("checklist", 5, "check_code", f"{frames['checklist'].loc[5, 'activity_code']}.99",
          "unknown_check_code")  # fmt: skip
    frames["service_standards"] = frames["service_standards"].drop(columns="service_name_th")
    expected.append(("service_standards.csv", None, "service_name_th", "missing_column", ""))
    shutil.copytree(src, dst, dirs_exist_ok=True)
    changed = sorted({e[0].removesuffix(".csv") for e in expected})
    for name in changed:
        write_csv(frames[name], dst / f"{name}.csv")
    table = pd.DataFrame(expected, columns=["file", "row", "column", "kind", "value"])
    table["row"] = table["row"].astype("Int64")
    return table.sort_values(["file", "row"], na_position="first").reset_index(drop=True)
