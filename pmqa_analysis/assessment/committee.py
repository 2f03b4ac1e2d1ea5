"""What the committee and the executives read: self-assessment, committee workbook, all outputs.

* :func:`self_assessment` — the one-page summary of one unit for the executives (counts per
  status, strengths, gaps with reasons, key figures), Thai first; rendered as a whole HTML
  page with the embedded font (:func:`self_assessment_html`, every text escaped) or a table
  for Excel (:func:`self_assessment_frame`).
* :func:`write_committee_workbook` — ``committee.xlsx`` for the province: a summary sheet
  (units × activity codes status matrix, counts per status) and one sheet per activity code
  (every unit's status, checklist evidence, indicator values, reason); written by
  :mod:`pmqa_analysis.assessment.committee_workbook`, re-exported here.
* :func:`write_assessment_outputs` — the whole step for a loaded workspace: metrics → scores
  → scorecards, self-assessments, improvement plans (per unit and province), committee
  workbook, written to a temporary folder and renamed into place.
"""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.assessment.committee_workbook import write_committee_workbook
from pmqa_analysis.assessment.improvement_plan import draft_plan, plan_progress, write_plan_xlsx
from pmqa_analysis.assessment.scorecard import (
    STATUS_LABELS,
    STATUSES,
    format_value,
    score_units,
    write_scorecards,
)
from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.core.page import html_page, reasons_html, status_chip
from pmqa_analysis.core.thai_calendar import fiscal_year_range
from pmqa_analysis.cs.indicators import unit_metrics
from pmqa_analysis.stats.item_summary import item_summary as _item_summary
from pmqa_analysis.workspace.criteria import KNOWN_METRICS
from pmqa_analysis.workspace.loader import Survey

__all__ = [
    "KEY_FIGURES",
    "self_assessment",
    "self_assessment_frame",
    "self_assessment_html",
    "write_assessment_outputs",
    "write_committee_workbook",
]

#: Metrics shown as key figures in the self-assessment, in order.
KEY_FIGURES = (
    "top2_pct", "mean_pct", "bottom2_pct", "sample_reached", "complaints_within_standard_pct",
    "service_within_standard_pct",
)  # fmt: skip
_TEXT = {
    "th": {"title": "สรุปผลการประเมินตนเอง", "fy": "ปีงบประมาณ", "strengths": "จุดแข็ง (ผ่าน)",
           "gaps": "ประเด็นที่ต้องปรับปรุง", "no_data": "ไม่มีข้อมูล", "figures": "ตัวเลขสำคัญ",
           "none": "ไม่มี", "reached": "ถึง", "not_reached": "ไม่ถึง", "status": "สถานะ",
           "count": "จำนวนรหัสกิจกรรม", "section": "หัวข้อ", "item": "รายการ",
           "detail": "รายละเอียด", "unit": "หน่วยงาน", "summary": "สรุปผล"},
    "en": {"title": "Self-assessment summary", "fy": "Fiscal year", "strengths": "Strengths (met)",
           "gaps": "Gaps to improve", "no_data": "No data", "figures": "Key figures",
           "none": "none", "reached": "reached", "not_reached": "not reached",
           "status": "Status", "count": "Activity codes", "section": "Section",
           "item": "Item", "detail": "Detail", "unit": "Unit", "summary": "Summary"},
}  # fmt: skip


def self_assessment(
    scores: pd.DataFrame,
    metrics: pd.DataFrame,
    unit_code: str,
    *,
    language: str = "th",
    unit_name: str = "",
) -> dict[str, Any]:
    """One unit's self-assessment summary for the executives.

    Returns
    -------
    dict
        ``unit_code``, ``unit_name``, ``fiscal_year``, ``language``, ``title``,
        ``counts`` (status → number of activity codes), ``strengths`` (met codes),
        ``gaps`` (partly / not met, with reasons), ``no_data`` (codes without data) and
        ``key_figures`` (top-2-box, mean %, bottom-2-box, sample reached, complaints and
        service within standard: ``metric``, ``label``, ``value``, ``display``, ``n``).

    Examples
    --------
    >>> from pmqa_analysis.workspace.criteria import load_catalogue
    >>> m = pd.DataFrame({"unit_code": ["U1"] * 2, "metric": ["top2_pct", "sample_reached"],
    ...                   "value": [85.0, 0.0], "n": [120, 120]})
    >>> ck = pd.DataFrame({"unit_code": "U1", "fiscal_year": 2567, "activity_code": "CS6",
    ...                    "check_code": ["CS6.1", "CS6.2", "CS6.3"], "status": "done"})
    >>> s = score_units(m, ck, load_catalogue(), fiscal_year=2567)
    >>> sa = self_assessment(s, m, "U1", language="en")
    >>> sa["counts"], [g["activity_code"] for g in sa["gaps"]]
    ({'met': 0, 'partly': 1, 'not_met': 0, 'no_data': 9}, ['CS6'])
    >>> [f["display"] for f in sa["key_figures"][:4]]
    ['85.0%', '', '', 'not reached']
    """
    lang = check_language(language)
    rows = scores[scores["unit_code"].astype(str) == str(unit_code)]
    if not len(rows):
        raise InputError(
            f"unit {unit_code!r} not found in the scores; units scored: "
            f"{', '.join(map(str, pd.unique(scores['unit_code'])))}"
        )
    labels = STATUS_LABELS[lang]
    counts = rows["status"].value_counts()
    title = f"title_{lang}"

    def entry(rec: Mapping[Any, Any]) -> dict[str, Any]:
        return {"activity_code": rec["activity_code"], "title": rec[title],
                "status": rec["status"], "status_label": labels[rec["status"]],
                "reason": rec[f"reason_{lang}"]}  # fmt: skip

    recs = rows.to_dict("records")
    m = metrics[metrics["unit_code"].astype(str) == str(unit_code)].set_index("metric")
    figures = []
    for metric in KEY_FIGURES:
        value = float(m["value"].get(metric, np.nan)) if len(m) else float("nan")
        n = m["n"].get(metric) if "n" in m.columns and len(m) else None
        if metric == "sample_reached":
            shown = "" if np.isnan(value) else _TEXT[lang]["reached" if value else "not_reached"]
        else:
            shown = format_value(value, metric)
        info = KNOWN_METRICS[metric]
        figures.append({"metric": metric, "label": info.th if lang == "th" else info.en,
                        "value": None if np.isnan(value) else value, "display": shown,
                        "n": None if n is None or pd.isna(n) else int(n)})  # fmt: skip
    return {
        "unit_code": str(unit_code),
        "unit_name": unit_name,
        "fiscal_year": int(rows["fiscal_year"].iloc[0]),
        "language": lang,
        "title": _TEXT[lang]["title"],
        "counts": {s: int(counts.get(s, 0)) for s in STATUSES},
        "strengths": [entry(r) for r in recs if r["status"] == "met"],
        "gaps": [entry(r) for r in recs if r["status"] in ("not_met", "partly")],
        "no_data": [entry(r) for r in recs if r["status"] == "no_data"],
        "key_figures": figures,
    }


def self_assessment_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The self-assessment as a three-column table (section, item, detail) for Excel.

    Examples
    --------
    >>> sa = {"language": "en", "counts": {"met": 1}, "strengths": [], "gaps": [],
    ...       "no_data": [], "key_figures": []}
    >>> self_assessment_frame(sa).values.tolist()
    [['Summary', 'met', 1]]
    """
    t = _TEXT[check_language(str(summary.get("language", "th")))]
    labels = STATUS_LABELS[str(summary.get("language", "th"))]
    rows: list[tuple[str, str, Any]] = [(t["summary"], labels.get(k, k), int(v))
                                        for k, v in summary["counts"].items()]  # fmt: skip
    for key in ("strengths", "gaps", "no_data"):
        rows += [(t[key], f"{e['activity_code']} {e['title']}",
                  e["status_label"] if key == "strengths" else e["reason"])
                 for e in summary[key]]  # fmt: skip
    rows += [(t["figures"], f["label"], f["display"] + (f" (n = {f['n']})" if f["n"] else ""))
             for f in summary["key_figures"]]  # fmt: skip
    return pd.DataFrame(rows, columns=[t["section"], t["item"], t["detail"]])


def self_assessment_html(summary: Mapping[str, Any], *, fragment: bool = False) -> str:
    """The self-assessment as a whole HTML page (charset, Sarabun embedded); every text escaped.

    Parameters
    ----------
    summary : mapping
        :func:`self_assessment`.
    fragment : bool, default False
        Only the ``<section>`` (to place inside another page) instead of a whole document.

    Examples
    --------
    >>> sa = {"language": "en", "title": "Self-assessment summary", "unit_code": "U<1>",
    ...       "unit_name": "", "fiscal_year": 2567, "counts": {"met": 0}, "strengths": [],
    ...       "gaps": [], "no_data": [], "key_figures": []}
    >>> page = self_assessment_html(sa)
    >>> page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    True
    >>> "U&lt;1&gt;" in page and "<script" not in page and "font-family: Sarabun" in page
    True
    >>> self_assessment_html(sa, fragment=True).startswith('<section class="pmqa-self')
    True
    """
    lang = check_language(str(summary.get("language", "th")))
    t, labels, e = _TEXT[lang], STATUS_LABELS[lang], html.escape
    name = f" {summary['unit_name']}" if summary.get("unit_name") else ""
    unit = str(summary["unit_code"]) + name
    out = [
        f'<section class="pmqa-self-assessment" lang="{lang}">',
        f"<h1>{e(str(summary['title']))}: {e(unit)}</h1>",
        f'<p class="pmqa-byline">{e(t["fy"])} {e(str(summary["fiscal_year"]))}</p>',
        f'<table class="counts"><tr><th>{e(t["status"])}</th><th>{e(t["count"])}</th></tr>',
    ]
    out += [f"<tr><td>{status_chip(k, str(labels.get(k, k)))}</td>"
            f'<td class="num">{int(v)}</td></tr>'
            for k, v in summary["counts"].items()]  # fmt: skip
    out.append("</table>")
    for key in ("strengths", "gaps", "no_data"):
        out.append(f"<h2>{e(t[key])}</h2>")
        if not summary[key]:
            out.append(f"<p>{e(t['none'])}</p>")
            continue
        out.append("<ul>")
        for item in summary[key]:
            head = f"<strong>{e(str(item['activity_code']))}</strong> {e(str(item['title']))}"
            if key == "strengths":
                out.append(f"<li>{head}</li>")
            else:
                chip = status_chip(str(item["status"]), str(item["status_label"]))
                out.append(f"<li>{head} {chip}{reasons_html(item['reason'])}</li>")
        out.append("</ul>")
    out.append(f'<h2>{e(t["figures"])}</h2><table class="figures">')
    for f in summary["key_figures"]:
        n = f" (n = {int(f['n'])})" if f["n"] else ""
        out.append(f"<tr><td>{e(str(f['label']))}</td><td>{e(str(f['display']) or '-')}"
                   f"{e(n)}</td></tr>")  # fmt: skip
    out.append("</table></section>")
    section = "\n".join(out) + "\n"
    if fragment:
        return section
    return html_page(f"{summary['title']}: {unit}", section, lang=lang, css=_SA_CSS)


#: the self-assessment page's own rules (the shared ones come with the page shell)
_SA_CSS = (
    ".pmqa-self-assessment { max-width: 60em; }\n"
    ".pmqa-self-assessment > ul > li { margin: 0.5em 0; }\n"
    ".pmqa-self-assessment table.figures td:first-child { min-width: 22em; }\n"
)


# ------------------------------------------------------------------------ whole step


def write_assessment_outputs(
    survey: Survey,
    out_dir: str | Path,
    *,
    item_summary: pd.DataFrame | None = None,
    previous_plan: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    language: str | None = None,
    themes: pd.DataFrame | None = None,
    adequacy: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Run the assessment step for a workspace and write every output.

    Layout of ``out_dir`` (written to a temporary sibling folder, then renamed into
    place, so a killed run never leaves a half-written folder)::

        metrics.csv, scores.csv          tidy tables (UTF-8 with BOM)
        committee.xlsx                   province: summary + one sheet per activity code
        improvement_plan.xlsx            province: every unit's draft plan
        plan_progress.csv                only with previous_plan
        <unit-slug>/scorecard.json, self_assessment.html, improvement_plan.xlsx

    Parameters
    ----------
    survey : Survey
        A loaded workspace.
    out_dir : str or Path
        The folder to (re)create.
    item_summary : pandas.DataFrame, optional
        :func:`pmqa_analysis.stats.item_summary.item_summary` by unit for the assessed year;
        computed when absent (weakest items of the plan).
    previous_plan : pandas.DataFrame, optional
        Last year's approved plan (:func:`pmqa_analysis.workspace.plan_file.read_plan`): gives
        ``plan_items_done_pct`` and ``plan_progress.csv`` (as of the end of the fiscal
        year assessed).
    assignments : pandas.DataFrame, optional
        The assignments table (default: ``survey.assignments`` when the workspace has it).
    language : {"th", "en"}, optional
        Default: the workspace setting.
    themes, adequacy : pandas.DataFrame, optional
        Passed to :func:`pmqa_analysis.cs.indicators.unit_metrics` (tables the caller has
        already computed for the assessed year).

    Returns
    -------
    dict of str to Path
        ``metrics``, ``scores``, ``committee``, ``plan``, optionally ``progress``, and per
        unit ``<unit_code>/scorecard``, ``<unit_code>/self_assessment``,
        ``<unit_code>/plan``: the final paths.
    """
    lang = check_language(language or survey.settings.language or "th")
    fy = survey.fiscal_year
    final = Path(out_dir)
    metrics = unit_metrics(
        survey, fy, previous_plan=previous_plan, themes=themes, adequacy=adequacy
    )
    scores = score_units(metrics, survey.checklist, survey.catalogue, fiscal_year=fy)
    if item_summary is None and len(survey.questionnaire):
        resp = survey.responses[survey.responses["fiscal_year"] == fy]
        scale = survey.scales[str(survey.questionnaire["scale"].iloc[0])]
        item_summary = _item_summary(resp, survey.items, by="unit_code", scale=scale,
                                     min_cell=survey.settings.min_cell)  # fmt: skip
    if assignments is None:
        assignments = getattr(survey, "assignments", None)
    plan = draft_plan(
        scores, metrics, survey.catalogue, fiscal_year=fy, assignments=assignments,
        checklist=survey.checklist, item_summary=item_summary,
        questionnaire=survey.questionnaire, language=lang,
    )  # fmt: skip
    codes = survey.units["unit_code"].astype(str)
    names = dict(zip(codes, survey.units[f"unit_name_{lang}"].fillna("").astype(str), strict=True))
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    rel: dict[str, Path] = {}
    try:
        rel["metrics"] = _write_csv(metrics, tmp / "metrics.csv")
        rel["scores"] = _write_csv(scores, tmp / "scores.csv")
        for unit, path in write_scorecards(scores, survey.catalogue, tmp).items():
            rel[f"{unit}/scorecard"] = path
            sa = self_assessment(
                scores, metrics, unit, language=lang, unit_name=names.get(unit, "")
            )
            html_path = path.parent / "self_assessment.html"
            html_path.write_bytes(self_assessment_html(sa).encode("utf-8"))
            rel[f"{unit}/self_assessment"] = html_path
            unit_plan = plan[plan["unit_code"] == unit]
            rel[f"{unit}/plan_table"] = _write_csv(unit_plan, path.parent / "improvement_plan.csv")
            sheet = "สรุปผลการประเมินตนเอง" if lang == "th" else "Self-assessment"
            rel[f"{unit}/plan"] = write_plan_xlsx(
                unit_plan, path.parent / "improvement_plan.xlsx", lang,
                extra_sheets={sheet: self_assessment_frame(sa)},
            )  # fmt: skip
        rel["plan"] = write_plan_xlsx(plan, tmp / "improvement_plan.xlsx", lang)
        rel["committee"] = write_committee_workbook(
            scores, metrics, survey.catalogue, tmp / "committee.xlsx", lang,
            checklist=survey.checklist, unit_names=names,
        )  # fmt: skip
        if previous_plan is not None:
            as_of = pd.Timestamp(fiscal_year_range(int(fy))[1])
            progress = plan_progress(previous_plan, metrics, scores, as_of=as_of,
                                     catalogue=survey.catalogue)  # fmt: skip
            rel["progress"] = _write_csv(progress, tmp / "plan_progress.csv")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return {k: final / p.relative_to(tmp) for k, p in rel.items()}


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    return path
