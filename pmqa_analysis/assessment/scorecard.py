"""CS scorecard: status per unit × activity code, decided by the catalogue's rules.

:func:`score_units` combines the monitoring checklist (done / partly / not done) with the
indicator values of :func:`pmqa_analysis.cs.indicators.unit_metrics` and applies the
``met`` / ``partly`` rules of the catalogue (:mod:`pmqa_analysis.workspace.criteria`; the rules are
data, never code).  Every status names the rule that decided it and gives the reason in
Thai and English, built from the numbers.

Rule semantics
--------------
* checklist share = (done × 1 + partly × 0.5) ÷ the activity's checklist items (an item
  without a row counts as not done);
* a rule ``{checklist_min = x, indicators = all|any|none}`` holds when the share ≥ x and
  every / at least one / no particular indicator meets its target;
* a value exactly at the target meets it (compared with a tolerance of 1e-9 relative to
  the target, so 80 computed as 79.99999999999999 still meets 80);
* missing data is never "not met" and never guessed: an indicator without a value is
  left out of the rule (``all`` over the indicators that have data; ``any`` holds
  vacuously when none has data), and an activity with checklist rows but no indicator
  value is judged on its checklist; the reason says what was missing;
* an activity code with checklist items in the catalogue but no checklist row for the
  unit and year is ``no_data``, even when indicator values exist (they are still
  reported in the reason); an activity code without checklist items in the catalogue
  is ``no_data`` when none of its indicators has a value;
* otherwise status = ``met`` if the ``met`` rule holds, else ``partly`` if the
  ``partly`` rule holds, else ``not_met``.

Outputs: :func:`scorecard_json` / :func:`write_scorecards` (``<unit-slug>/scorecard.json``,
deterministic) and :func:`unit_slug` (unit codes are never used raw in paths).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.files import unit_slug
from pmqa_analysis.workspace.criteria import (
    KNOWN_METRICS,
    ActivityCode,
    Catalogue,
    Indicator,
    ScoringRule,
)

__all__ = [
    "SCORE_COLUMNS",
    "STATUSES",
    "STATUS_LABELS",
    "format_value",
    "meets_target",
    "score_units",
    "scorecard_json",
    "unit_slug",
    "write_scorecards",
]

#: Status codes, best first.
STATUSES = ("met", "partly", "not_met", "no_data")
#: Status labels per language.
STATUS_LABELS: Mapping[str, Mapping[str, str]] = {
    "th": {"met": "ผ่าน", "partly": "ผ่านบางส่วน", "not_met": "ไม่ผ่าน", "no_data": "ไม่มีข้อมูล"},
    "en": {"met": "met", "partly": "partly met", "not_met": "not met", "no_data": "no data"},
}
SCORE_COLUMNS = [
    "unit_code", "fiscal_year", "requirement", "activity_code", "title_th", "title_en",
    "status", "rule", "reason_th", "reason_en", "checklist_rows", "checklist_share",
    "n_check_items", "n_done", "n_partly", "n_not_done", "n_missing", "indicators_met",
    "indicators_with_data", "indicators_total", "indicator_values",
]  # fmt: skip
_CHECK_STATUSES = ("done", "partly", "not_done")
_TOL = 1e-9


def meets_target(values: Any, target: float, direction: str) -> np.ndarray:
    """Vectorised target check: a value exactly at the target meets it; NaN never does.

    Examples
    --------
    >>> meets_target([80.0, 79.99999999999999, 79.9, float("nan")], 80, ">=").tolist()
    [True, True, False, False]
    >>> meets_target([10.0, 10.5], 10, "<=").tolist()
    [True, False]
    """
    v = np.asarray(values, dtype=np.float64)
    tol = _TOL * max(1.0, abs(float(target)))
    with np.errstate(invalid="ignore"):
        ok = v >= target - tol if direction == ">=" else v <= target + tol
    return ok & ~np.isnan(v)


def format_value(value: float | None, metric: str) -> str:
    """A metric value as shown in reasons: ``72.4%``, ``3``; ``""`` when missing.

    Examples
    --------
    >>> format_value(72.44, "top2_pct"), format_value(3.0, "activities_count")
    ('72.4%', '3')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    info = KNOWN_METRICS.get(metric)
    if info is not None and info.unit == "%":
        return f"{value:.1f}%"
    return f"{value:g}"


def _target_text(ind: Indicator) -> str:
    info = KNOWN_METRICS.get(ind.metric)
    return f"{ind.target:g}%" if info is not None and info.unit == "%" else f"{ind.target:g}"


def _pct(share: float) -> str:
    return "-" if math.isnan(share) else f"{100 * share:.0f}%"


def _indicator_phrase(ind: Indicator, value: float, ok: bool) -> tuple[str, str]:
    if math.isnan(value):
        return (
            f"ตัวชี้วัด {ind.code} {ind.th} ไม่มีข้อมูล (ไม่นำมาตัดสิน)",
            f"indicator {ind.code} {ind.en}: no data (left out of the rule)",
        )
    shown, target = format_value(value, ind.metric), _target_text(ind)
    if ind.direction == ">=":
        th = "ถึงเป้าหมาย" if ok else "ต่ำกว่าเป้าหมาย"
        en = "meets the target" if ok else "below the target"
    else:
        th = "ไม่เกินเป้าหมาย" if ok else "สูงกว่าเป้าหมาย"
        en = "within the target" if ok else "above the target"
    return f"ตัวชี้วัด {ind.code} {ind.th} {shown} {th} {target}", (
        f"indicator {ind.code} {ind.en} {shown} {en} {target}"
    )


def _rule_holds(
    rule: ScoringRule, share: np.ndarray, has_rows: np.ndarray, k_met: np.ndarray,
    k_data: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """(checklist part holds, indicator part holds) for every unit."""
    with np.errstate(invalid="ignore"):
        chk = ~has_rows | np.isnan(share) | (share >= rule.checklist_min - _TOL)
    if rule.indicators == "all":
        ind = k_met == k_data
    elif rule.indicators == "any":
        ind = (k_met >= 1) | (k_data == 0)
    else:
        ind = np.ones(len(share), dtype=bool)
    return chk, ind


def _rule_text(
    name: str, rule: ScoringRule, share: float, has_rows: bool, k_met: int, k_data: int
) -> str:
    chk = (
        f"checklist {_pct(share)} ≥ {_pct(rule.checklist_min)}"
        if has_rows
        else "checklist not assessed (no rows)"
    )
    if rule.indicators == "none":
        ind = "indicators not considered"
    elif rule.indicators == "all":
        ind = f"all indicators with data meet the target ({k_met}/{k_data})"
    else:
        ind = f"at least one indicator meets the target ({k_met}/{k_data})"
    return f"{name}: {chk} and {ind}"


def _fail_text(
    rule: ScoringRule, share: float, has_rows: bool, chk_ok: bool, ind_ok: bool, k_met: int,
    k_data: int,
) -> str:  # fmt: skip
    why = []
    if not chk_ok:
        why.append(f"checklist {_pct(share)} < {_pct(rule.checklist_min)}")
    if not ind_ok:
        need = "every" if rule.indicators == "all" else "one"
        why.append(f"{k_met}/{k_data} indicators meet the target, {need} needed")
    return "; ".join(why)


def _checklist_counts(
    checklist: pd.DataFrame, act: ActivityCode, units: pd.Index
) -> tuple[pd.DataFrame, np.ndarray]:
    items = [c.code for c in act.checklist]
    rows = checklist[checklist["activity_code"] == act.code]
    has_rows = units.isin(rows["unit_code"].unique())
    rows = rows[rows["check_code"].isin(items)]
    counts = rows.groupby(["unit_code", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=units, columns=list(_CHECK_STATUSES), fill_value=0)
    return counts.astype("int64"), np.asarray(has_rows)


def _prepare_checklist(checklist: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    need = ["unit_code", "fiscal_year", "activity_code", "check_code", "status"]
    missing = [c for c in need if c not in checklist.columns]
    if missing:
        raise InputError(
            f"checklist has no column {', '.join(missing)}; found "
            f"{', '.join(map(str, checklist.columns))}: use Survey.checklist (see "
            "docs/data_model.md)"
        )
    ck = checklist[pd.to_numeric(checklist["fiscal_year"], errors="coerce") == fiscal_year]
    bad = sorted(set(ck["status"].dropna().astype(str)) - set(_CHECK_STATUSES))
    if bad:
        raise InputError(
            f"checklist status {', '.join(map(repr, bad))} found; expected one of "
            f"{', '.join(_CHECK_STATUSES)}: load the checklist with pmqa_analysis.workspace.loader"
        )
    ck = ck.astype({"unit_code": str, "activity_code": str, "check_code": str})
    return ck.drop_duplicates(["unit_code", "activity_code", "check_code"], keep="last")


def _wide_metrics(metrics: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("unit_code", "metric", "value") if c not in metrics.columns]
    if missing:
        raise InputError(
            f"metrics has no column {', '.join(missing)}; expected the output of "
            "pmqa_analysis.cs.indicators.unit_metrics"
        )
    dup = metrics.duplicated(["unit_code", "metric"])
    if dup.any():
        first = metrics.loc[dup, ["unit_code", "metric"]].iloc[0].tolist()
        raise InputError(
            f"metrics has {int(dup.sum())} repeated unit × metric row(s), e.g. {first}; "
            "expected one row per unit and metric"
        )
    m = metrics.astype({"unit_code": str})
    return m.pivot(index="unit_code", columns="metric", values="value").astype("float64")


def score_units(
    metrics: pd.DataFrame,
    checklist: pd.DataFrame,
    catalogue: Catalogue,
    *,
    fiscal_year: int,
) -> pd.DataFrame:
    """Status of every unit × activity code under the catalogue's rules.

    Parameters
    ----------
    metrics : pandas.DataFrame
        :func:`pmqa_analysis.cs.indicators.unit_metrics` (``unit_code, metric, value``).
    checklist : pandas.DataFrame
        ``Survey.checklist`` (rows of other fiscal years are ignored).
    catalogue : Catalogue
        Activity codes, checklist items, indicators and scoring rules.
    fiscal_year : int
        BE year assessed.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORE_COLUMNS`, one row per unit (metrics order, then units found only in
        the checklist) × activity code (catalogue order).  ``status`` is one of
        :data:`STATUSES`; ``rule`` says which rule decided it; ``indicator_values`` is a
        JSON object ``{indicator code: {metric, value, target, direction, meets}}``.

    Notes
    -----
    See the module docstring for the rules (share = (done + 0.5 partly) ÷ items; a value
    exactly at the target meets it; missing data is left out, never counted as not met).

    Examples
    --------
    >>> from pmqa_analysis.workspace.criteria import load_catalogue
    >>> m = pd.DataFrame({"unit_code": ["U1", "U1"], "metric": ["top2_pct", "mean_pct"],
    ...                   "value": [72.4, 85.0]})
    >>> ck = pd.DataFrame({"unit_code": "U1", "fiscal_year": 2567, "activity_code": "CS6",
    ...                    "check_code": ["CS6.1", "CS6.2", "CS6.3"], "status": "done"})
    >>> s = score_units(m, ck, load_catalogue(), fiscal_year=2567)
    >>> row = s[s.activity_code == "CS6"].iloc[0]
    >>> row.status, float(row.checklist_share), int(row.indicators_met)
    ('partly', 1.0, 1)
    >>> print(row.reason_th.split("; ")[1])
    ตัวชี้วัด CS6.K1 ร้อยละผู้ตอบที่พึงพอใจ (สองระดับบน) 72.4% ต่ำกว่าเป้าหมาย 80%
    >>> s[s.activity_code == "CS5"].status.iloc[0]
    'no_data'
    """
    fy = int(fiscal_year)
    wide = _wide_metrics(metrics)
    ck = _prepare_checklist(checklist, fy)
    order = list(dict.fromkeys([*metrics["unit_code"].astype(str), *sorted(ck["unit_code"])]))
    units = pd.Index(order, name="unit_code")
    parts = []
    for act in catalogue.activities:
        parts.append(_score_activity(act, catalogue, wide, ck, units, fy))
    if not parts:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["_u"] = out["unit_code"].map({u: i for i, u in enumerate(order)})
    out = out.sort_values(["_u"], kind="stable", ignore_index=True)
    return out[SCORE_COLUMNS]


def _score_activity(
    act: ActivityCode, catalogue: Catalogue, wide: pd.DataFrame, ck: pd.DataFrame,
    units: pd.Index, fy: int,
) -> pd.DataFrame:  # fmt: skip
    scoring = act.scoring
    counts, has_rows = _checklist_counts(ck, act, units)
    n_items = len(act.checklist)
    n_done, n_partly = counts["done"].to_numpy(), counts["partly"].to_numpy()
    n_rows = counts.sum(axis=1).to_numpy()
    share = (n_done + 0.5 * n_partly) / n_items if n_items else np.full(len(units), np.nan)
    inds = act.indicators
    vals = np.column_stack(
        [wide[i.metric].reindex(units).to_numpy(float) if i.metric in wide.columns
         else np.full(len(units), np.nan) for i in inds]
    ) if inds else np.empty((len(units), 0))  # fmt: skip
    oks = (
        np.column_stack([meets_target(vals[:, j], i.target, i.direction)
                         for j, i in enumerate(inds)])
        if inds else np.empty((len(units), 0), dtype=bool)
    )  # fmt: skip
    k_data = (~np.isnan(vals)).sum(axis=1)
    k_met = oks.sum(axis=1)
    # Missing evidence is never guessed: without checklist rows an activity code is
    # "no data" (its indicator values are still reported in the reason).
    no_data = ~has_rows if n_items else (k_data == 0)
    met_c, met_i = _rule_holds(scoring.met, share, has_rows, k_met, k_data)
    par_c, par_i = _rule_holds(scoring.partly, share, has_rows, k_met, k_data)
    met, partly = met_c & met_i, par_c & par_i
    status = np.where(
        no_data, "no_data", np.where(met, "met", np.where(partly, "partly", "not_met"))
    )

    rules, reasons_th, reasons_en, ind_json = [], [], [], []
    for r, _unit in enumerate(units):
        sh, hr, km, kd = float(share[r]), bool(has_rows[r]), int(k_met[r]), int(k_data[r])
        st = status[r]
        if st == "no_data":
            rules.append(
                "no_data: no checklist rows for this activity code"
                if n_items
                else "no_data: no indicator value"
            )
        elif st == "met":
            rules.append(_rule_text("met", scoring.met, sh, hr, km, kd))
        else:
            fail_met = _fail_text(scoring.met, sh, hr, bool(met_c[r]), bool(met_i[r]), km, kd)
            if st == "partly":
                rules.append(
                    f"partly: met rule fails ({fail_met}); "
                    + _rule_text("partly rule holds", scoring.partly, sh, hr, km, kd)
                )
            else:
                fail = _fail_text(scoring.partly, sh, hr, bool(par_c[r]), bool(par_i[r]), km, kd)
                rules.append(f"not_met: met rule fails ({fail_met}); partly rule fails ({fail})")
        th, en = _checklist_phrase(act, fy, hr, sh, n_items, counts.iloc[r])
        phrases = [_indicator_phrase(i, float(vals[r, j]), bool(oks[r, j]))
                   for j, i in enumerate(inds)]  # fmt: skip
        if hr and inds and kd == 0:
            th += " (ไม่มีข้อมูลตัวชี้วัด พิจารณาจากแบบตรวจเท่านั้น)"
            en += " (no indicator data: rule applied to the checklist only)"
        reasons_th.append("; ".join([th, *(p[0] for p in phrases)]))
        reasons_en.append("; ".join([en, *(p[1] for p in phrases)]))
        ind_json.append(json.dumps(
            {i.code: {"metric": i.metric, "value": _num(vals[r, j]), "target": i.target,
                      "direction": i.direction, "meets": bool(oks[r, j])}
             for j, i in enumerate(inds)},
            sort_keys=True, ensure_ascii=False,
        ))  # fmt: skip
    return pd.DataFrame(
        {
            "unit_code": list(units),
            "fiscal_year": fy,
            "requirement": act.requirement,
            "activity_code": act.code,
            "title_th": act.title_th,
            "title_en": act.title_en,
            "status": status.astype(object),
            "rule": rules,
            "reason_th": reasons_th,
            "reason_en": reasons_en,
            "checklist_rows": has_rows,
            "checklist_share": share.astype("float64"),
            "n_check_items": n_items,
            "n_done": n_done,
            "n_partly": n_partly,
            "n_not_done": n_items - n_done - n_partly,
            "n_missing": n_items - n_rows,
            "indicators_met": k_met.astype("int64"),
            "indicators_with_data": k_data.astype("int64"),
            "indicators_total": len(inds),
            "indicator_values": ind_json,
        }
    )


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _checklist_phrase(
    act: ActivityCode, fy: int, has_rows: bool, share: float, n_items: int, counts: pd.Series
) -> tuple[str, str]:
    if not has_rows:
        return (
            f"ไม่มีข้อมูลแบบตรวจติดตามของ {act.code} ปี {fy} (สถานะ: ไม่มีข้อมูล; ค่าตัวชี้วัดแสดงเพื่อทราบ)",
            f"no checklist rows for {act.code} in {fy} "
            "(status: no data; indicator values shown for information)",
        )
    done, partly = int(counts["done"]), int(counts["partly"])
    not_done = n_items - done - partly
    return (
        f"แบบตรวจ {act.code}: ดำเนินการแล้ว {done} บางส่วน {partly} ยังไม่ดำเนินการ "
        f"{not_done} จาก {n_items} รายการ (ร้อยละ {100 * share:.1f})",
        f"checklist {act.code}: {done} done, {partly} partly, {not_done} not done of "
        f"{n_items} items ({100 * share:.1f}%)",
    )


# ------------------------------------------------------------------------ scorecards


def _clean(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def scorecard_json(scores: pd.DataFrame, unit_code: str, catalogue: Catalogue) -> dict[str, Any]:
    """The machine-readable scorecard of one unit.

    Returns
    -------
    dict
        ``unit_code``, ``fiscal_year``, ``catalogue`` (name, version, source),
        ``counts`` (per status), ``activities``: one entry per activity code with
        ``status``, ``rule``, ``reason_th``, ``reason_en``, the checklist counts and
        ``indicators`` (the decoded ``indicator_values``).

    Examples
    --------
    >>> from pmqa_analysis.workspace.criteria import load_catalogue
    >>> m = pd.DataFrame({"unit_code": ["U1"], "metric": ["top2_pct"], "value": [85.0]})
    >>> ck = pd.DataFrame({"unit_code": "U1", "fiscal_year": 2567, "activity_code": "CS6",
    ...                    "check_code": ["CS6.1", "CS6.2", "CS6.3"], "status": "done"})
    >>> s = score_units(m, ck, load_catalogue(), fiscal_year=2567)
    >>> card = scorecard_json(s, "U1", load_catalogue())
    >>> card["counts"], card["activities"][8]["indicators"]["CS6.K1"]["meets"]
    ({'met': 1, 'partly': 0, 'not_met': 0, 'no_data': 9}, True)
    """
    rows = scores[scores["unit_code"].astype(str) == str(unit_code)]
    if not len(rows):
        raise InputError(
            f"unit {unit_code!r} not found in the scores; units scored: "
            f"{', '.join(map(str, pd.unique(scores['unit_code'])))}"
        )
    activities = []
    for rec in rows.to_dict("records"):
        entry = {k: _clean(rec[k]) for k in SCORE_COLUMNS if k not in (
            "unit_code", "fiscal_year", "indicator_values")}  # fmt: skip
        entry["indicators"] = json.loads(rec["indicator_values"])
        activities.append(entry)
    counts = rows["status"].value_counts()
    return {
        "unit_code": str(unit_code),
        "fiscal_year": int(rows["fiscal_year"].iloc[0]),
        "catalogue": {
            "name": catalogue.name, "version": catalogue.version, "source": catalogue.source,
        },
        "counts": {s: int(counts.get(s, 0)) for s in STATUSES},
        "activities": activities,
    }  # fmt: skip


def write_scorecards(
    scores: pd.DataFrame, catalogue: Catalogue, out_dir: str | Path
) -> dict[str, Path]:
    """Write ``<out_dir>/<unit-slug>/scorecard.json`` for every unit of ``scores``.

    The files are deterministic: keys sorted, UTF-8 (``ensure_ascii=False``), no
    timestamps, so the same scores give byte-identical files.

    Returns
    -------
    dict of str to Path
        Unit code → file written.

    Examples
    --------
    >>> import tempfile
    >>> from pmqa_analysis.workspace.criteria import load_catalogue
    >>> m = pd.DataFrame({"unit_code": ["U1"], "metric": ["top2_pct"], "value": [85.0]})
    >>> ck = pd.DataFrame(columns=["unit_code", "fiscal_year", "activity_code",
    ...                            "check_code", "status"])
    >>> s = score_units(m, ck, load_catalogue(), fiscal_year=2567)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_scorecards(s, load_catalogue(), d)
    ...     print(paths["U1"].relative_to(d).as_posix())
    U1/scorecard.json
    """
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for unit in pd.unique(scores["unit_code"].astype(str)):
        card = scorecard_json(scores, unit, catalogue)
        folder = out / unit_slug(unit)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "scorecard.json"
        text = json.dumps(card, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
        path.write_bytes(text.encode("utf-8"))
        written[unit] = path
    return written
