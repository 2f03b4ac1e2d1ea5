"""The improvement plan (CS7): draft from the gaps, edit in Excel, read back, follow up.

The round trip
--------------
1. :func:`draft_plan` turns every gap of the scorecard (status ``partly`` / ``not_met``)
   into plan rows: one per indicator that misses its target, one for the checklist items
   not done, and, when a satisfaction indicator fails, one per weakest item.  Actions come
   from the action library (``data/actions.toml``, extendable with a user file, see
   :func:`load_actions`), owners from the assignments table, due dates inside the next
   fiscal year (31 March for ``not_met``, 30 September for ``partly``), status ``draft``.
2. :func:`write_plan_xlsx` (:mod:`pmqa_analysis.assessment.plan_workbook`) writes it for
   the committee (KPI names, status drop-down, dates shown in the BE calendar, frozen
   header, dictionary sheet); users set status ``approved`` (อนุมัติแล้ว) with approver
   and date.
3. :func:`read_plan` reads the edited file back, validated like every input (problems
   table with file, Excel row and column).
4. Next year, :func:`plan_progress` reports each approved item as ``done`` (the activity
   code is now met or the KPI meets its target), ``on_track`` (improved on the baseline,
   not yet at target, before the due date), ``late`` (past the due date, not done),
   ``no_progress`` (before the due date, not improved) or ``no_data``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.assessment.plan_workbook import write_plan_xlsx
from pmqa_analysis.assessment.scorecard import format_value, meets_target, unit_slug
from pmqa_analysis.core.data_files import package_toml
from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import CHECK_STATUS, SCORECARD_STATUS
from pmqa_analysis.workspace.criteria import KNOWN_METRICS, Catalogue, load_catalogue
from pmqa_analysis.workspace.plan_file import PLAN_COLUMNS, PLAN_STATUSES, kpi_name, read_plan

__all__ = [
    "PLAN_COLUMNS",
    "PLAN_STATUSES",
    "PROGRESS_LABELS",
    "draft_plan",
    "load_actions",
    "plan_progress",
    "read_plan",
    "write_plan_xlsx",
]

PROGRESS_LABELS: Mapping[str, Mapping[str, str]] = {
    "th": {"done": "ดำเนินการแล้ว", "on_track": "เป็นไปตามแผน", "late": "ล่าช้า",
           "no_progress": "ยังไม่มีความก้าวหน้า", "no_data": "ไม่มีข้อมูล"},
    "en": {"done": "done", "on_track": "on track", "late": "late",
           "no_progress": "no progress yet", "no_data": "no data"},
}  # fmt: skip
_CHECK_WORDS = {"th": {c: th for c, (th, _) in CHECK_STATUS.items()},
                "en": {c: en for c, (_, en) in CHECK_STATUS.items()}}  # fmt: skip


# --------------------------------------------------------------------------- actions


def load_actions(extra: str | Path | None = None) -> pd.DataFrame:
    """The action library: built-in proposals, optionally extended by a user TOML file.

    Parameters
    ----------
    extra : str or Path, optional
        A file in the format of ``pmqa_analysis/data/actions.toml``; its entries are
        added and replace built-in ones with the same (activity_code, metric).

    Returns
    -------
    pandas.DataFrame
        ``activity_code``, ``metric``, ``th``, ``en`` (``"*"`` = any).

    Examples
    --------
    >>> a = load_actions()
    >>> a.loc[(a.activity_code == "CS6") & (a.metric == "top2_pct"), "en"].iloc[0][:30]
    'Improve the lowest-rated aspec'
    """
    docs = [("actions.toml", package_toml("actions.toml"))]
    if extra is not None:
        p = Path(extra)
        try:
            docs.append((p.name, tomllib.loads(p.read_text("utf-8"))))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(
                f"action library {p} could not be read ({exc}); expected a UTF-8 TOML file "
                "with [[actions]] tables (activity_code, metric, th, en)"
            ) from exc
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    for name, doc in docs:
        for k, entry in enumerate(doc.get("actions", [])):
            missing = [f for f in ("activity_code", "metric", "th", "en") if not entry.get(f)]
            if missing:
                raise InputError(
                    f"{name}: action {k + 1} has no {', '.join(missing)}; every [[actions]] "
                    'table needs activity_code, metric, th and en ("*" = any)'
                )
            key = (str(entry["activity_code"]), str(entry["metric"]))
            rows[key] = (str(entry["th"]), str(entry["en"]))
    return pd.DataFrame(
        [(a, m, th, en) for (a, m), (th, en) in rows.items()],
        columns=["activity_code", "metric", "th", "en"],
    )


def _action(actions: pd.DataFrame, activity: str, metric: str, language: str) -> str:
    table = {(a, m): t for a, m, t in zip(
        actions["activity_code"], actions["metric"], actions[language], strict=True)}  # fmt: skip
    for key in ((activity, metric), ("*", metric), (activity, "*"), ("*", "*")):
        if key in table:
            return str(table[key])
    return ""


# ----------------------------------------------------------------------------- draft


def _owners(assignments: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    if assignments is None or not len(assignments):
        return {}
    need = [c for c in ("unit_code", "activity_code", "role") if c not in assignments.columns]
    if need:
        raise InputError(
            f"assignments has no column {', '.join(need)}; expected unit_code, activity_code, "
            "role, person, order_ref (the 'assignments' template)"
        )
    a = assignments.fillna("")
    person = a["person"].astype(str) if "person" in a.columns else pd.Series("", a.index)
    role = a["role"].astype(str)
    who = np.where(person.str.strip() != "", person + " (" + role + ")", role)
    out: dict[tuple[str, str], list[str]] = {}
    for u, act, w in zip(a["unit_code"].astype(str), a["activity_code"].astype(str), who,
                         strict=True):  # fmt: skip
        out.setdefault((u, act), []).append(str(w))
    return {k: "; ".join(v) for k, v in out.items()}


def _due(plan_fy: int, status: str) -> pd.Timestamp:
    ce = plan_fy - 543
    return pd.Timestamp(ce, 3, 31) if status == "not_met" else pd.Timestamp(ce, 9, 30)


def _checklist_evidence(
    checklist: pd.DataFrame | None, unit: str, act: str, fy: int, language: str
) -> str:
    if checklist is None or not len(checklist):
        return ""
    ck = checklist[(checklist["unit_code"].astype(str) == unit)
                   & (checklist["activity_code"].astype(str) == act)
                   & (pd.to_numeric(checklist["fiscal_year"], errors="coerce") == fy)
                   & (checklist["status"] != "done")]  # fmt: skip
    parts = []
    for rec in ck.sort_values("check_code").to_dict("records"):
        label = _CHECK_WORDS[language].get(rec["status"], rec["status"])
        ref = rec.get("evidence_ref")
        ref = "" if ref is None or (isinstance(ref, float) and math.isnan(ref)) else str(ref)
        parts.append(f"{rec['check_code']} {label}" + (f": {ref}" if ref.strip() else ""))
    return "; ".join(parts)


def _weak_items(
    item_summary: pd.DataFrame | None, questionnaire: pd.DataFrame | None, unit: str, k: int
) -> list[dict[str, Any]]:
    if item_summary is None or not len(item_summary) or k <= 0:
        return []
    rows = item_summary[(item_summary["unit_code"].astype(str) == unit)]
    rows = rows.dropna(subset=["mean"]).sort_values(["mean", "item_code"], kind="stable")
    text: dict[str, str] = {}
    if questionnaire is not None and "item_th" in questionnaire.columns:
        text = dict(zip(questionnaire["item_code"].astype(str),
                        questionnaire["item_th"].astype(str), strict=True))  # fmt: skip
    return [
        {"item": str(r["item_code"]), "mean": float(r["mean"]),
         "top2": float(r.get("top2_pct", np.nan)), "n": r.get("n"),
         "text": text.get(str(r["item_code"]), "")}
        for r in rows.head(k).to_dict("records")
    ]  # fmt: skip


def draft_plan(
    scores: pd.DataFrame,
    metrics: pd.DataFrame,
    catalogue: Catalogue,
    *,
    fiscal_year: int,
    assignments: pd.DataFrame | None = None,
    actions: pd.DataFrame | None = None,
    checklist: pd.DataFrame | None = None,
    item_summary: pd.DataFrame | None = None,
    questionnaire: pd.DataFrame | None = None,
    n_weak_items: int = 3,
    language: str = "th",
) -> pd.DataFrame:
    """Draft next year's improvement plan: one row per gap.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`pmqa_analysis.assessment.scorecard.score_units`.
    metrics : pandas.DataFrame
        :func:`pmqa_analysis.cs.indicators.unit_metrics` (for the bases ``n``).
    catalogue : Catalogue
        The catalogue the scores were made with.
    fiscal_year : int
        BE year assessed; the plan is for ``fiscal_year + 1``.
    assignments : pandas.DataFrame, optional
        ``unit_code, activity_code, role, person`` (the "assignments" template): the
        owner of each row; blank (with a note) when unassigned.
    actions : pandas.DataFrame, optional
        :func:`load_actions` (default: the built-in library).
    checklist : pandas.DataFrame, optional
        ``Survey.checklist``: lists the items not done with their evidence references.
    item_summary : pandas.DataFrame, optional
        :func:`pmqa_analysis.stats.item_summary.item_summary` by ``unit_code`` for the
        assessed year; when ``top2_pct`` or ``mean_pct`` misses its target, the
        ``n_weak_items`` items with the lowest mean become rows of their own.
    questionnaire : pandas.DataFrame, optional
        Gives the weak items' text.
    n_weak_items : int
        How many weakest items to list.
    language : {"th", "en"}
        Language of the gap, evidence and action texts.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`.  ``kpi`` is the metric followed (``checklist_share`` for the
        checklist, in %), ``target`` its target and ``baseline`` the assessed year's value.

    Examples
    --------
    >>> from pmqa_analysis.assessment.scorecard import score_units
    >>> cat = load_catalogue()
    >>> m = pd.DataFrame({"unit_code": ["U1"], "metric": ["top2_pct"], "value": [72.4],
    ...                   "n": [120]})
    >>> ck = pd.DataFrame({"unit_code": "U1", "fiscal_year": 2567, "activity_code": "CS6",
    ...                    "check_code": ["CS6.1", "CS6.2", "CS6.3"], "status": "done"})
    >>> s = score_units(m, ck, cat, fiscal_year=2567)
    >>> p = draft_plan(s, m, cat, fiscal_year=2567, language="en")
    >>> p[["plan_id", "kpi", "target", "baseline", "status"]]
               plan_id       kpi  target  baseline status
    0  2568-U1-CS6-01  top2_pct    80.0      72.4  draft
    >>> p.loc[0, "due_date"], p.loc[0, "note"][:25]
    (Timestamp('2025-03-31 00:00:00'), 'no owner in the assignmen')
    """
    lang = language if language in ("th", "en") else "th"
    acts = load_actions() if actions is None else actions
    owners = _owners(assignments)
    fy, plan_fy = int(fiscal_year), int(fiscal_year) + 1
    bases = {}
    if "n" in metrics.columns:
        bases = {(str(u), m): n for u, m, n in zip(
            metrics["unit_code"], metrics["metric"], metrics["n"], strict=True)}  # fmt: skip
    by_code = {a.code: a for a in catalogue.activities}
    rows: list[dict[str, Any]] = []
    gaps = scores[scores["status"].isin(["partly", "not_met"])]
    for rec in gaps.to_dict("records"):
        unit, code, status = str(rec["unit_code"]), str(rec["activity_code"]), rec["status"]
        act = by_code.get(code)
        inds = json.loads(rec["indicator_values"])
        items: list[dict[str, Any]] = []
        sat_fail = False
        for ind in act.indicators if act else ():
            v = inds.get(ind.code, {})
            if v.get("value") is None or v.get("meets"):
                continue
            sat_fail |= ind.metric in ("top2_pct", "mean_pct")
            info = KNOWN_METRICS[ind.metric]
            shown = format_value(v["value"], ind.metric)
            target = f"{ind.target:g}" + ("%" if info.unit == "%" else "")
            n = bases.get((unit, ind.metric))
            n_txt = "" if n is None or pd.isna(n) else f" (n = {int(n)})"
            gap = (
                f"ตัวชี้วัด {ind.code} {ind.th} {shown} ไม่ถึงเป้าหมาย {target}"
                if lang == "th"
                else f"indicator {ind.code} {ind.en} {shown} misses the target {target}"
            )
            evidence = f"{kpi_name(ind.metric, lang)} = {shown}{n_txt}"
            items.append({"gap": gap, "evidence": evidence,
                          "kpi": ind.metric, "target": ind.target,
                          "baseline": float(v["value"]),
                          "action": _action(acts, code, ind.metric, lang),
                          "_unit": info.unit})  # fmt: skip
        share = rec["checklist_share"]
        if bool(rec["checklist_rows"]) and not pd.isna(share) and share < 1.0:
            n_short = int(rec["n_not_done"]) + int(rec["n_partly"])
            gap = (
                f"แบบตรวจ {code}: ยังไม่ครบ {n_short} รายการ (ร้อยละ {100 * share:.1f})"
                if lang == "th"
                else f"checklist {code}: {n_short} item(s) not complete ({100 * share:.1f}%)"
            )
            words = _CHECK_WORDS[lang]
            evidence = _checklist_evidence(checklist, unit, code, fy, lang) or (
                f"{words['done']} {rec['n_done']}, {words['partly']} {rec['n_partly']}, "
                f"{words['not_done']} {rec['n_not_done']}"
            )
            items.append({"gap": gap, "evidence": evidence, "kpi": "checklist_share",
                          "target": 100.0, "baseline": 100.0 * share,
                          "action": _action(acts, code, "checklist_share", lang)})  # fmt: skip
        if sat_fail:
            for w in _weak_items(item_summary, questionnaire, unit, n_weak_items):
                label = f"{w['item']} {w['text']}".strip()
                gap = (
                    f"ข้อคำถามคะแนนต่ำ: {label} ค่าเฉลี่ย {w['mean']:.2f}"
                    if lang == "th"
                    else f"weak item: {label}, mean {w['mean']:.2f}"
                )
                kpi = "top2_pct"
                mean_word = "ค่าเฉลี่ย" if lang == "th" else "mean"
                items.append({"gap": gap,
                              "evidence": f"{mean_word} = {w['mean']:.2f}; "
                                          f"{kpi_name('top2_pct', lang)} = "
                                          f"{format_value(w['top2'], 'top2_pct') or '-'}",
                              "kpi": kpi, "target": _target(act, kpi),
                              "baseline": _value(inds, act, kpi),
                              "action": _action(acts, code, "weak_item", lang)})  # fmt: skip
        if not items:
            items.append({"gap": rec[f"reason_{lang}"], "evidence": "", "kpi": "status",
                          "target": np.nan, "baseline": np.nan,
                          "action": _action(acts, code, "*", lang)})  # fmt: skip
        owner = owners.get((unit, code), "")
        note = (
            ""
            if owner
            else (
                f"ยังไม่มีผู้รับผิดชอบในคำสั่งมอบหมายงาน (assignments) สำหรับ {unit} {code}"
                if lang == "th"
                else f"no owner in the assignments table for {unit} {code}"
            )
        )
        for k, item in enumerate(items, start=1):
            rows.append({
                "plan_id": f"{plan_fy}-{unit_slug(unit)}-{code}-{k:02d}", "unit_code": unit,
                "fiscal_year": plan_fy, "activity_code": code, "gap": item["gap"],
                "evidence": item["evidence"], "action": item["action"], "kpi": item["kpi"],
                "target": item["target"], "baseline": item["baseline"], "owner": owner,
                "due_date": _due(plan_fy, status), "status": "draft", "approver": "",
                "approved_date": pd.NaT, "progress_note": "", "note": note,
            })  # fmt: skip
    out = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    out["fiscal_year"] = out["fiscal_year"].astype("int64")
    out[["target", "baseline"]] = out[["target", "baseline"]].astype("float64")
    for col in ("due_date", "approved_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out


def _target(act: Any, metric: str) -> float:
    for ind in act.indicators if act else ():
        if ind.metric == metric:
            return float(ind.target)
    return float("nan")


def _value(inds: Mapping[str, Any], act: Any, metric: str) -> float:
    for ind in act.indicators if act else ():
        if ind.metric == metric and inds.get(ind.code, {}).get("value") is not None:
            return float(inds[ind.code]["value"])
    return float("nan")


# -------------------------------------------------------------------------- progress


def _direction(catalogue: Catalogue, activity: str, metric: str) -> str:
    fallback = "<=" if metric == "bottom2_pct" else ">="
    for act in catalogue.activities:
        for ind in act.indicators:
            if ind.metric == metric and act.code == activity:
                return ind.direction
    return fallback


def plan_progress(
    approved_plan: pd.DataFrame,
    metrics_now: pd.DataFrame,
    scores_now: pd.DataFrame,
    *,
    as_of: str | _dt.date | pd.Timestamp,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Progress of each approved item of last year's plan, from this year's numbers.

    Parameters
    ----------
    approved_plan : pandas.DataFrame
        :func:`read_plan`; rows with status ``approved`` or ``done`` are followed.
    metrics_now, scores_now : pandas.DataFrame
        This year's :func:`~pmqa_analysis.cs.indicators.unit_metrics` and
        :func:`~pmqa_analysis.assessment.scorecard.score_units`.
    as_of : date
        The day progress is judged on (compared with ``due_date``).
    catalogue : Catalogue, optional
        Gives each KPI's direction (default the built-in example).

    Returns
    -------
    pandas.DataFrame
        ``plan_id, unit_code, activity_code, kpi, target, baseline, value_now,
        status_now, due_date, progress, progress_th, detail_th, detail_en`` (the detail
        in Thai and in English).

    Notes
    -----
    ``done``: the activity code is ``met`` now, or ``value_now`` meets ``target`` (a
    value exactly at the target meets it); otherwise ``late`` when ``as_of`` is after
    ``due_date``; otherwise ``on_track`` when ``value_now`` is better than ``baseline``
    (higher, or lower for a ``<=`` KPI), ``no_data`` without a value now, else
    ``no_progress``.  ``checklist_share`` is read from ``scores_now`` (in %).

    Examples
    --------
    >>> plan = pd.DataFrame({"plan_id": ["P1"], "unit_code": ["U1"], "activity_code": ["CS6"],
    ...     "kpi": ["top2_pct"], "target": [80.0], "baseline": [72.4], "status": ["approved"],
    ...     "due_date": [pd.Timestamp("2025-09-30")]})
    >>> m = pd.DataFrame({"unit_code": ["U1"], "metric": ["top2_pct"], "value": [76.0]})
    >>> s = pd.DataFrame({"unit_code": ["U1"], "activity_code": ["CS6"],
    ...                   "status": ["partly"], "checklist_share": [1.0]})
    >>> plan_progress(plan, m, s, as_of="2025-06-30")[["progress", "value_now"]]
       progress  value_now
    0  on_track       76.0
    """
    cat = catalogue or load_catalogue()
    p = approved_plan[approved_plan["status"].isin(["approved", "done"])].reset_index(drop=True)
    when = pd.Timestamp(as_of)
    key_s = scores_now.assign(unit_code=scores_now["unit_code"].astype(str)).set_index(
        ["unit_code", "activity_code"])  # fmt: skip
    key_m = metrics_now.assign(unit_code=metrics_now["unit_code"].astype(str)).set_index(
        ["unit_code", "metric"])["value"]  # fmt: skip
    units, acts = p["unit_code"].astype(str), p["activity_code"].astype(str)
    pairs = pd.MultiIndex.from_arrays([units, acts])
    status_now = key_s["status"].reindex(pairs).to_numpy(dtype=object)
    share_now = 100.0 * key_s["checklist_share"].reindex(pairs).to_numpy(dtype=float)
    kpi = p["kpi"].astype("string").fillna("").astype(str)
    metric_now = key_m.reindex(pd.MultiIndex.from_arrays([units, kpi])).to_numpy(dtype=float)
    value_now = np.where(kpi == "checklist_share", share_now, metric_now)
    target = pd.to_numeric(p["target"], errors="coerce").to_numpy(float)
    baseline = pd.to_numeric(p.get("baseline", np.nan), errors="coerce")
    base = np.asarray(baseline, dtype=float) * np.ones(len(p))
    direction = np.array([_direction(cat, a, k) for a, k in zip(acts, kpi, strict=True)])
    ge = direction == ">="
    kpi_met = np.array(
        [not math.isnan(t) and bool(meets_target([v], t, d)[0])
         for v, t, d in zip(value_now, target, direction, strict=True)], dtype=bool,
    )  # fmt: skip
    closed = (status_now == "met") | kpi_met
    due = pd.to_datetime(p["due_date"]).to_numpy()
    late = ~pd.isna(due) & (when.to_datetime64() > due)
    with np.errstate(invalid="ignore"):
        step = 1e-9 * np.maximum(1.0, np.abs(base))
        better = np.where(ge, value_now > base + step, value_now < base - step)
    progress = np.select(
        [closed, late, better, np.isnan(value_now)],
        ["done", "late", "on_track", "no_data"], "no_progress",
    )  # fmt: skip
    detail = [
        f"{a} now {SCORECARD_STATUS[s][1] if s in SCORECARD_STATUS else 'not scored'}; "
        f"{kpi_name(k, 'en')} {_fmt(v)} (baseline {_fmt(b)}, target {_fmt(t)})"
        for a, s, k, v, b, t in zip(acts, status_now, kpi, value_now, base, target, strict=True)
    ]
    detail_th = [
        f"{a} ขณะนี้ {SCORECARD_STATUS[s][0] if s in SCORECARD_STATUS else 'ยังไม่ได้ประเมิน'}; "
        f"{kpi_name(k, 'th')} {_fmt(v)} (ฐาน {_fmt(b)} เป้าหมาย {_fmt(t)})"
        for a, s, k, v, b, t in zip(acts, status_now, kpi, value_now, base, target, strict=True)
    ]
    return pd.DataFrame(
        {
            "plan_id": p["plan_id"].astype(str), "unit_code": units, "activity_code": acts,
            "kpi": kpi, "target": target, "baseline": base, "value_now": value_now,
            "status_now": status_now, "due_date": pd.to_datetime(p["due_date"]),
            "progress": progress, "progress_th": [PROGRESS_LABELS["th"][x] for x in progress],
            "detail_th": detail_th, "detail_en": detail,
        }
    )  # fmt: skip


def _fmt(value: float) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"
