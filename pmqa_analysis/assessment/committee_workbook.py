"""``committee.xlsx``: the province's units against every activity code, for the committee.

One summary sheet (units × activity codes, each cell the status in words on its colour,
then the number of codes per status; under the table, the number of units per status for
each code) and one sheet per activity code (every unit's result, the checklist's share
done and counts, the evidence, each indicator's value and the reason).  Headers, statuses
and indicator names are in the workbook's language; the look (Sarabun, frozen and
filtered header row, number formats, widths) is :mod:`pmqa_analysis.core.workbook`'s.
Values keep their full precision: the checklist's share is stored 0-1 and shown ``0.0%``,
an indicator in percent units is shown ``0.0``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pmqa_analysis.assessment.scorecard import STATUS_LABELS, STATUSES
from pmqa_analysis.core.labels import CHECK_STATUS, check_language
from pmqa_analysis.core.workbook import STATUS_FILLS, Formats, new_workbook, write_sheet
from pmqa_analysis.workspace.criteria import KNOWN_METRICS, Catalogue
from pmqa_analysis.workspace.plan_file import kpi_name

__all__ = ["write_committee_workbook"]

_HEAD = {
    "th": {"summary": "สรุป", "unit_code": "รหัสหน่วยงาน", "unit": "หน่วยงาน", "status": "ผล",
           "share": "แบบตรวจที่ดำเนินการแล้ว (%)", "done": "ดำเนินการแล้ว (ข้อ)",
           "partly": "บางส่วน (ข้อ)", "not_done": "ยังไม่ดำเนินการ (ข้อ)",
           "evidence": "หลักฐาน", "reason": "เหตุผล", "units": "จำนวนหน่วยงานที่มีผล"},
    "en": {"summary": "Summary", "unit_code": "Unit code", "unit": "Unit", "status": "Result",
           "share": "Checklist done (%)", "done": "Done (items)", "partly": "Partly (items)",
           "not_done": "Not done (items)", "evidence": "Evidence", "reason": "Reason",
           "units": "Units with the result"},
}  # fmt: skip


def _evidence(checklist: pd.DataFrame | None, fy: int, language: str) -> pd.Series:
    """'CS6.1 ดำเนินการแล้ว (ref); ...' per (unit_code, activity_code)."""
    if checklist is None or not len(checklist):
        return pd.Series(dtype=object)
    ck = checklist[pd.to_numeric(checklist["fiscal_year"], errors="coerce") == fy]
    ck = ck.sort_values(["unit_code", "activity_code", "check_code"], kind="stable")
    at = 1 if language == "en" else 0
    words = {code: pair[at] for code, pair in CHECK_STATUS.items()}
    status = ck["status"].astype(str).map(lambda v: words.get(v, v))
    ref = ck["evidence_ref"].fillna("").astype(str) if "evidence_ref" in ck else ""
    text = ck["check_code"].astype(str) + " " + status.fillna("").astype(str)
    text = text.where(pd.Series(ref, index=ck.index) == "", text + " (" + ref + ")")
    keys = [ck["unit_code"].astype(str), ck["activity_code"].astype(str)]
    return text.groupby(keys, sort=False).agg("; ".join)


def write_committee_workbook(
    scores: pd.DataFrame,
    metrics: pd.DataFrame,
    catalogue: Catalogue,
    path: str | Path,
    language: str = "th",
    *,
    checklist: pd.DataFrame | None = None,
    unit_names: Mapping[str, str] | None = None,
) -> Path:
    """Write ``committee.xlsx``: a summary sheet and one sheet per activity code.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`pmqa_analysis.assessment.scorecard.score_units`.
    metrics : pandas.DataFrame
        :func:`pmqa_analysis.cs.indicators.unit_metrics` (kept for the signature's symmetry
        with the other outputs; indicator values come from ``scores``).
    catalogue : Catalogue
        Activity titles and indicators.
    path : str or Path
        The file to write (deterministic bytes: fixed document properties).
    language : {"th", "en"}
        Sheet titles, headers and labels.
    checklist : pandas.DataFrame, optional
        ``Survey.checklist``: each item's status and evidence reference per unit.
    unit_names : mapping, optional
        Unit code -> name, shown beside the code.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> from pmqa_analysis.assessment.scorecard import score_units
    >>> from pmqa_analysis.workspace.criteria import load_catalogue
    >>> m = pd.DataFrame({"unit_code": ["U1"], "metric": ["top2_pct"], "value": [85.0]})
    >>> ck = pd.DataFrame(columns=["unit_code", "fiscal_year", "activity_code",
    ...                            "check_code", "status"])
    >>> s = score_units(m, ck, load_catalogue(), fiscal_year=2567)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_committee_workbook(s, m, load_catalogue(), f"{d}/committee.xlsx")
    ...     sheets = pd.read_excel(p, sheet_name=None, engine="calamine")
    >>> list(sheets)[:2], len(sheets)
    (['สรุป', 'CS1A จำแนกกลุ่มผู้รับบริการและผ'], 11)
    >>> sheets["สรุป"].columns[0], sheets["สรุป"].loc[0, "CS6"]
    ('รหัสหน่วยงาน', 'ไม่มีข้อมูล')
    """
    lang = check_language(language)
    labels, head = STATUS_LABELS[lang], _HEAD[lang]
    wb = new_workbook(path, "committee")
    formats = Formats(wb, lang)
    used: set[str] = set()
    units = list(pd.unique(scores["unit_code"].astype(str)))
    names = {str(k): str(v) for k, v in (unit_names or {}).items()}
    codes = [a.code for a in catalogue.activities]
    status = scores.assign(unit_code=scores["unit_code"].astype(str)).pivot(
        index="unit_code", columns="activity_code", values="status"
    ).reindex(index=units, columns=codes)  # fmt: skip

    lead = {head["unit_code"]: units}
    if names:
        lead[head["unit"]] = [names.get(u, "") for u in units]
    summary = pd.DataFrame(lead)
    fills: dict[str, list[str | None]] = {}
    for code in codes:
        col = status[code].tolist()
        summary[code] = [labels[s] if isinstance(s, str) else None for s in col]
        fills[code] = [STATUS_FILLS.get(s) if isinstance(s, str) else None for s in col]
    for s in STATUSES:
        summary[labels[s]] = (status == s).sum(axis=1).astype("int64").to_list()
    ws = write_sheet(formats, head["summary"], summary, used=used, fills=fills,
                     freeze_columns=len(lead))  # fmt: skip
    base = len(units) + 2  # one empty row, then units per status for each code
    ws.write_string(base, 0, head["units"], formats.header)
    for k, s in enumerate(STATUSES, start=1):
        ws.write_string(base + k, 0, labels[s], formats.get("text", fill=STATUS_FILLS[s]))
        for j, code in enumerate(codes, start=len(lead)):
            ws.write_number(base + k, j, int((status[code] == s).sum()), formats.get("int"))

    evidence = _evidence(checklist, int(scores["fiscal_year"].iloc[0]) if len(scores) else 0, lang)
    for act in catalogue.activities:
        rows = scores[scores["activity_code"] == act.code].to_dict("records")
        ind_heads = [f"{ind.code} {kpi_name(ind.metric, lang)}" for ind in act.indicators]
        table: dict[str, list[Any]] = {head["unit_code"]: [str(r["unit_code"]) for r in rows]}
        if names:
            table[head["unit"]] = [names.get(str(r["unit_code"]), "") for r in rows]
        table[head["status"]] = [labels[r["status"]] for r in rows]
        table[head["share"]] = [
            None if pd.isna(r["checklist_share"]) or not r["checklist_rows"]
            else float(r["checklist_share"]) for r in rows
        ]  # fmt: skip
        table[head["done"]] = [int(r["n_done"]) for r in rows]
        table[head["partly"]] = [int(r["n_partly"]) for r in rows]
        table[head["not_done"]] = [int(r["n_not_done"]) for r in rows]
        table[head["evidence"]] = [evidence.get((str(r["unit_code"]), act.code), "")
                                   for r in rows]  # fmt: skip
        kinds = {head["share"]: "share"}
        for ind, title in zip(act.indicators, ind_heads, strict=True):
            table[title] = [_indicator_value(json.loads(r["indicator_values"]).get(ind.code, {}))
                            for r in rows]  # fmt: skip
            info = KNOWN_METRICS.get(ind.metric)
            if info is not None and info.unit == "%":
                kinds[title] = "dec1"
        table[head["reason"]] = [r[f"reason_{lang}"] for r in rows]
        frame = pd.DataFrame(table)
        name = f"{act.code} {act.title_th if lang == 'th' else act.title_en}"
        write_sheet(formats, name, frame, used=used, kinds=kinds,
                    fills={head["status"]: [STATUS_FILLS[r["status"]] for r in rows]},
                    freeze_columns=len(lead), wrap=(head["evidence"], head["reason"]),
                    widths={head["evidence"]: 50, head["reason"]: 60})  # fmt: skip
    wb.close()
    return Path(path)


def _indicator_value(entry: Mapping[str, Any]) -> float | None:
    value = entry.get("value")
    return None if value is None else float(value)
