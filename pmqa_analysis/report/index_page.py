"""The run's front page, ``index.html``: every unit's headline figures, links, status, error.

The batch (:mod:`pmqa_analysis.run.batch`) calls :func:`write_index_page` once the units are
executed; this module only reads the prepared results (``results/``) and the status records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from pmqa_analysis.core.files import write_text_atomic
from pmqa_analysis.report.export import html_page, safe_html

__all__ = ["write_index_page"]


_STATUS_TH = {"ok": "สำเร็จ", "skipped": "สำเร็จ (ใช้ผลเดิม)", "failed": "ล้มเหลว"}


def _headline(run_dir: Path) -> dict[str, tuple[str, str, str]]:
    """unit -> (n, overall mean, top-2-box %) of the fiscal year, as text ("–" suppressed)."""
    meta_path = run_dir / "results" / "meta.json"
    dims_path = run_dir / "results" / "dimensions.parquet"
    if not (meta_path.is_file() and dims_path.is_file()):
        return {}  # a custom prepare step: no headline figures
    fy = json.loads(meta_path.read_text(encoding="utf-8")).get("fiscal_year")
    dims = pd.read_parquet(dims_path, columns=["unit_code", "fiscal_year", "dimension_code",
                                               "n", "mean", "top2_pct"])  # fmt: skip
    rows = dims[(dims["dimension_code"] == "OVERALL") & (dims["fiscal_year"] == fy)]

    def text(value: Any, digits: int) -> str:
        return "–" if pd.isna(value) else f"{float(value):,.{digits}f}"

    return {
        str(r.unit_code): (text(r.n, 0), text(r.mean, 2), text(r.top2_pct, 1))
        for r in rows.itertuples(index=False)
    }


def write_index_page(
    run_dir: Path,
    *,
    run_id: str,
    province: str,
    titles: Mapping[str, str],
    records: Sequence[Mapping[str, Any]],
) -> Path:
    """Write ``run_dir/index.html``: every unit's headline figures, its reports, status, error.

    ``records`` are the units' status records of the manifest (``unit_code``, ``slug``,
    ``status``, ``outputs``, ``error``); ``titles`` maps unit codes to their display names.
    """
    figures = _headline(run_dir)
    rows = []
    for r in records:
        base = f"units/{quote(str(r['slug']))}/"
        links = [
            f'<a href="{base}{name}">{label}</a>'
            for name, label in (("report.html", "HTML"), ("report.xlsx", "Excel"),
                                ("report.pdf", "PDF"), ("report.failed.ipynb", "notebook"))
            if name in r.get("outputs", [])
        ]  # fmt: skip
        status = str(r["status"])
        nums = figures.get(str(r["unit_code"]), ("", "", "")) if figures else ()
        cells = "".join(f'<td class="num">{safe_html(v)}</td>' for v in nums)
        rows.append(
            f"<tr><td>{safe_html(titles.get(str(r['unit_code']), r['unit_code']))}</td>"
            f"{cells}"
            f'<td class="{safe_html(status)}">{safe_html(_STATUS_TH.get(status, status))}</td>'
            f"<td>{' · '.join(links)}</td><td>{safe_html(r.get('error', ''))}</td></tr>"
        )
    overview = run_dir / "province" / "overview.html"
    head = f"<h1>รายงานผลการสำรวจความพึงพอใจ {safe_html(province)}</h1>\n"
    head += f"<p>รอบการประมวลผล (run) {safe_html(run_id)}</p>\n"
    if overview.is_file():
        head += '<p><a href="province/overview.html">ภาพรวมจังหวัด (province overview)</a></p>\n'
    numbers = "<th>n</th><th>ค่าเฉลี่ยรวม</th><th>มาก–มากที่สุด (%)</th>" if figures else ""
    table = (
        f"<table>\n<thead><tr><th>หน่วยงาน</th>{numbers}<th>สถานะ</th><th>รายงาน</th>"
        "<th>ข้อผิดพลาด</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    page = html_page(f"PMQA {province} {run_id}", head + table)
    return write_text_atomic(run_dir / "index.html", page)
