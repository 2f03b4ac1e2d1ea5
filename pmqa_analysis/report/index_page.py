"""The run's front page, ``index.html``: the province's headline, then every unit in a table.

The page opens with how the province stands
(:func:`pmqa_analysis.report.headline.province_headline`: how many units reached the
satisfaction target, which are under-sampled, which failed to run), then one row per unit:
its name linking to its report, a status coloured and in words (target reached, below the
target, no figures, failed), its headline figures, its sample against the required size,
its files and, for a failed unit, the error.

The batch (:mod:`pmqa_analysis.run.batch`) calls :func:`write_index_page` once the units are
executed; this module only reads the prepared results (``results/``), the status records
and, for a failed unit whose record lacks its error, the unit's ``status.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from pmqa_analysis.core.files import write_text_atomic
from pmqa_analysis.core.page import status_chip
from pmqa_analysis.report.export import html_page, safe_html
from pmqa_analysis.report.headline import UnitLine, province_headline

__all__ = ["INDEX_CSS", "IndexRow", "index_body", "index_rows", "split_records", "write_index_page"]

#: (file, Thai label, English label) of the links shown per unit, in order
_LINKS = (
    ("report.html", "HTML", "HTML"),
    ("report.pdf", "PDF", "PDF"),
    ("report.xlsx", "Excel", "Excel"),
    ("self_assessment.html", "ประเมินตนเอง", "self-assessment"),
    ("improvement_plan.xlsx", "แผนปรับปรุง", "plan"),
    ("report.failed.ipynb", "notebook (ล้มเหลว)", "failed notebook"),
)
#: state -> (colour key of core.page.STATUS_COLOURS, Thai, English)
_STATES = {
    "reached": ("met", "ถึงเป้าหมาย", "target reached"),
    "below": ("partly", "ต่ำกว่าเป้าหมาย", "below target"),
    "no_data": ("no_data", "ไม่มีตัวเลข", "no figures"),
    "failed": ("failed", "ล้มเหลว", "failed"),
}


@dataclass(frozen=True)
class IndexRow:
    """One unit of the index: what its row shows."""

    code: str
    slug: str
    title: str
    state: str  # a key of _STATES
    reused: bool  # skipped: the report of an earlier run with the same inputs
    n: float | None
    mean: float | None
    top2_pct: float | None
    required_n: float | None
    reached: bool | None
    outputs: tuple[str, ...]
    error: str


def _results(run_dir: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """meta.json, the fiscal year's OVERALL rows and the adequacy table (empty when absent)."""
    meta_path = run_dir / "results" / "meta.json"
    dims_path = run_dir / "results" / "dimensions.parquet"
    adequacy_path = run_dir / "results" / "adequacy.parquet"
    if not (meta_path.is_file() and dims_path.is_file()):
        return {}, pd.DataFrame(), pd.DataFrame()  # a custom prepare step: no figures
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    dims = pd.read_parquet(dims_path, columns=["unit_code", "fiscal_year", "dimension_code",
                                               "n", "mean", "top2_pct"])  # fmt: skip
    over = dims[
        (dims["dimension_code"] == "OVERALL") & (dims["fiscal_year"] == meta.get("fiscal_year"))
    ]
    adequacy = pd.read_parquet(adequacy_path) if adequacy_path.is_file() else pd.DataFrame()
    return meta, over.set_index(over["unit_code"].astype(str)), adequacy


def _num(frame: pd.DataFrame, code: str, col: str) -> float | None:
    if frame.empty or col not in frame or code not in frame.index:
        return None
    value: Any = frame.loc[code, col]
    if isinstance(value, pd.Series):
        value = value.iloc[0]
    return None if pd.isna(value) else float(value)


def _respondents(adequacy: pd.DataFrame, over: pd.DataFrame, code: str) -> float | None:
    """The unit's respondents as its sample is judged (the adequacy table, the unit report's
    figure); without one, those with an overall score."""
    n = _num(adequacy, code, "n")
    return _num(over, code, "n") if n is None else n


def _error(run_dir: Path, record: Mapping[str, Any]) -> str:
    """The record's error; else the one its unit's ``status.json`` carries."""
    error = str(record.get("error") or "")
    if error or record.get("status") != "failed":
        return error
    path = run_dir / "units" / str(record.get("slug", "")) / "status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(status.get("error") or "") if isinstance(status, dict) else ""


def index_rows(
    run_dir: Path, titles: Mapping[str, str], records: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[IndexRow]]:
    """The run's meta (``{}`` without prepared results) and one :class:`IndexRow` a unit."""
    meta, over, adequacy = _results(run_dir)
    target = (meta.get("settings") or {}).get("target_pct")
    ad = adequacy.set_index(adequacy["unit_code"].astype(str)) if len(adequacy) else adequacy
    rows = []
    for r in records:
        code = str(r["unit_code"])
        top2 = _num(over, code, "top2_pct")
        failed = r.get("status") == "failed"
        if failed:
            state = "failed"
        elif top2 is None or target is None:
            state = "no_data"
        else:
            state = "reached" if top2 >= float(target) else "below"
        reached = None
        if len(ad) and code in ad.index and pd.notna(ad.loc[code, "reached"]):
            reached = bool(ad.loc[code, "reached"])
        rows.append(IndexRow(
            code=code, slug=str(r.get("slug", code)), title=str(titles.get(code, code)),
            state=state, reused=r.get("status") == "skipped", n=_respondents(ad, over, code),
            mean=_num(over, code, "mean"), top2_pct=top2,
            required_n=_num(ad, code, "required_n"), reached=reached,
            outputs=tuple(str(o) for o in r.get("outputs", [])), error=_error(run_dir, r),
        ))  # fmt: skip
    return meta, rows


#: the unit code of the province overview's record (``run.batch``'s ``PROVINCE_KEY``)
_PROVINCE = "__province__"


def split_records(records: Sequence[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], bool]:
    """The units' records and whether the province overview's record says it failed."""
    units = [r for r in records if str(r.get("unit_code")) != _PROVINCE]
    failed = any(str(r.get("unit_code")) == _PROVINCE and r.get("status") == "failed"
                 for r in records)  # fmt: skip
    return units, failed


def _text(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def index_body(
    run_dir: Path,
    *,
    run_id: str,
    province: str,
    titles: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
    links: bool = True,
) -> tuple[str, str]:
    """The index page's body HTML (escaped) and its language.

    ``links=False`` leaves out the files column (the printed booklet has no use for it).
    """
    units, overview_failed = split_records(records)
    meta, rows = index_rows(run_dir, titles, units)
    lang = "en" if (meta.get("settings") or {}).get("language") == "en" else "th"
    th = lang == "th"
    target = (meta.get("settings") or {}).get("target_pct")
    fy = meta.get("fiscal_year")
    lines = [
        UnitLine(r.code, r.title.removeprefix(r.code).strip() or r.code, r.top2_pct,
                 r.reached, failed=r.state == "failed")
        for r in rows
    ]  # fmt: skip
    headline = province_headline(
        lines, float(target) if target is not None and meta else None, lang,
        overview_failed=overview_failed,
    )  # fmt: skip
    title = (
        f"รายงานผลการสำรวจความพึงพอใจ {province}"
        if th
        else f"Satisfaction survey report, {province}"
    )
    by = [f"{'ปีงบประมาณ' if th else 'Fiscal year'} {fy}" if fy else "",
          f"{'รอบการประมวลผล' if th else 'run'} {run_id}"]  # fmt: skip
    head = f"<h1>{safe_html(title)}</h1>\n"
    head += f'<p class="pmqa-byline">{safe_html(" · ".join(b for b in by if b))}</p>\n'
    items = "".join(f"<li>{safe_html(x)}</li>" for x in headline)
    stands = "สถานะของจังหวัด" if th else "How the province stands"
    head += f'<div class="pmqa-headline"><h2>{safe_html(stands)}</h2><ul>{items}</ul></div>\n'

    if links and (run_dir / "province" / "overview.html").is_file():
        label = "ภาพรวมจังหวัด (province overview)" if th else "Province overview"
        head += f'<p><a href="province/overview.html">{safe_html(label)}</a></p>\n'
    headers = (
        ["หน่วยงาน", "สถานะ", "ค่าเฉลี่ยรวม", "มาก–มากที่สุด (%)", "ผู้ตอบ / ต้องการ"]
        if th
        else ["Unit", "Status", "Overall mean", "Top two (%)", "Respondents / required"]
    )
    if links:
        headers += ["ไฟล์", "ข้อผิดพลาด"] if th else ["Files", "Error"]
    body = []
    for r in rows:
        base = f"units/{quote(r.slug)}/"
        name = safe_html(r.title)
        if links and "report.html" in r.outputs:
            name = f'<a href="{base}report.html">{name}</a>'
        key, word_th, word_en = _STATES[r.state]
        status = status_chip(key, word_th if th else word_en)
        if r.reused:
            status += f"<br><small>{safe_html('ใช้ผลเดิม' if th else 'reused')}</small>"
        sample = f"{_text(r.n, 0)} / {_text(r.required_n, 0)}"
        if r.reached is False:
            sample += " " + status_chip("partly", "ไม่พอ" if th else "short")
        cells = [
            f"<td>{name}</td>", f"<td>{status}</td>",
            f'<td class="num">{safe_html(_text(r.mean, 2))}</td>',
            f'<td class="num">{safe_html(_text(r.top2_pct, 1))}</td>',
            f'<td class="num">{sample}</td>',
        ]  # fmt: skip
        if links:
            files = [f'<a href="{base}{f}">{safe_html(t if th else e)}</a>'
                     for f, t, e in _LINKS if f in r.outputs]  # fmt: skip
            cells.append(f'<td class="pmqa-files">{" · ".join(files)}</td>')
            error = f'<span class="failed">{safe_html(r.error)}</span>' if r.error else ""
            cells.append(f'<td class="pmqa-error">{error}</td>')
        body.append(f'<tr class="pmqa-row-{r.state}">' + "".join(cells) + "</tr>")
    table = (
        '<table class="pmqa-index">\n<thead><tr>'
        + "".join(f"<th>{safe_html(h)}</th>" for h in headers)
        + "</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
    )  # fmt: skip
    return head + table, lang


INDEX_CSS = (
    ".pmqa-index td.pmqa-error { max-width: 28em; font-size: 0.9em; overflow-wrap: anywhere; }\n"
    ".pmqa-index td:first-child { max-width: 17em; }\n"
    ".pmqa-index td.pmqa-files { min-width: 12em; line-height: 1.7; }\n"
    ".pmqa-index td a { white-space: nowrap; }\n"
    ".pmqa-index tr.pmqa-row-failed td:first-child { border-left: 5px solid #8a1c13; }\n"
    ".pmqa-index tr.pmqa-row-below td:first-child { border-left: 5px solid #d9a300; }\n"
    ".pmqa-index tr.pmqa-row-reached td:first-child { border-left: 5px solid #3f8a36; }\n"
    ".pmqa-index tr.pmqa-row-no_data td:first-child { border-left: 5px solid #999; }\n"
)


def write_index_page(
    run_dir: Path,
    *,
    run_id: str,
    province: str,
    titles: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
) -> Path:
    """Write ``run_dir/index.html``: the province's headline, then every unit's row.

    ``records`` are the units' status records of the manifest (``unit_code``, ``slug``,
    ``status``, ``outputs``, ``error``), with the province overview's record
    (``unit_code`` ``"__province__"``) when there is one; ``titles`` maps unit codes to
    their display names.  A failed unit's error comes from its record, else from its
    ``status.json``.
    """
    body, lang = index_body(run_dir, run_id=run_id, province=province, titles=titles,
                            records=records)  # fmt: skip
    page = html_page(f"PMQA {province} {run_id}", body, lang=lang, css=INDEX_CSS)
    return write_text_atomic(run_dir / "index.html", page)
