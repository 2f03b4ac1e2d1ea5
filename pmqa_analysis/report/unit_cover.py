"""The opening of a unit's report: title, the reader's byline, the headline block, the details.

:class:`CoverSection` is the ``cover`` section of the unit report
(a mixin of :class:`~pmqa_analysis.report.unit_sections.UnitSections`): the report's title
with the unit's name, one line for the reader (province, unit, fiscal year and round,
survey period in the report's calendar), then the headline block
(:func:`pmqa_analysis.report.headline.unit_headline`: satisfaction against the target,
the scorecard's counts, the sample, the strongest and weakest dimensions, the improvement
priorities), then the general information table.  Importing this module does not import
pandas.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.files import unit_slug
from pmqa_analysis.report.export import html_table, safe_html
from pmqa_analysis.report.headline import UnitFacts, unit_headline

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CoverSection", "period_text"]

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: at most this many activity codes and items are named as priorities
_PRIORITY_CODES = 4
_PRIORITY_ITEMS = 3


def period_text(start: Any, end: Any, language: str = "th") -> str:
    """The survey period in the report's convention: BE dates in Thai, "1 Oct 2023" in English.

    Examples
    --------
    >>> period_text("2023-10-01", "2024-09-30")
    '1 ต.ค. 2566 – 30 ก.ย. 2567'
    >>> period_text("2023-10-01", "2024-09-30", "en")
    '1 Oct 2023 – 30 Sep 2024'
    >>> period_text(None, None)
    ''
    """
    import datetime as dt

    from pmqa_analysis.core.thai_calendar import format_thai_date

    def one(value: Any) -> str:
        if value in (None, ""):
            return ""
        try:
            d = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
        return (
            format_thai_date(d)
            if language != "en"
            else f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"
        )

    first, last = one(start), one(end)
    return f"{first} – {last}" if first or last else ""


def _line(sentence: str) -> str:
    """One headline sentence as a list item, its label ("Sample:") in bold.

    >>> _line("Sample: 403 of <396>")
    '<li><strong>Sample:</strong> 403 of &lt;396&gt;</li>'
    """
    label, sep, rest = sentence.partition(": ")
    if not sep or len(label) > 40:
        return f"<li>{safe_html(sentence)}</li>"
    return f"<li><strong>{safe_html(label)}:</strong> {safe_html(rest)}</li>"


class CoverSection:
    """The ``cover`` section (a mixin: the builder gives the attributes declared below)."""

    run_dir: Path
    unit_code: str
    language: str
    th: bool
    meta: dict[str, Any]
    fy: int
    min_cell: int
    target: float

    if TYPE_CHECKING:

        @property
        def unit_name(self) -> str: ...

        def table(self, name: str, unit: str | None = None) -> pd.DataFrame: ...

        def t(self, th: str, en: str) -> str: ...

        def _labels(self, kind: str) -> dict[str, str]: ...

        def _p(self, text: str) -> str: ...

    def _round(self) -> str:
        """The reporting round in words: รอบ 6 เดือน (ต.ค.–มี.ค.) or รอบ 12 เดือน."""
        rnd = str(self.meta.get("round") or "")
        if rnd == "6m":
            return self.t("รอบ 6 เดือน (ต.ค.–มี.ค.)", "6-month round (Oct–Mar)")
        if rnd == "12m":
            return self.t("รอบ 12 เดือน (ทั้งปี)", "12-month round (full year)")
        return rnd

    def _period(self) -> str:
        period = self.meta.get("data_period") or [None, None]
        return period_text(period[0], period[1], self.language)

    def _card(self) -> list[dict[str, Any]]:
        path = self.run_dir / "assessment" / unit_slug(self.unit_code) / "scorecard.json"
        if not path.exists():
            return []
        card = json.loads(path.read_text(encoding="utf-8"))
        return list(card.get("activities") or card.get("codes") or [])

    def headline_facts(self) -> UnitFacts:
        """The numbers the unit's headline is written from (this fiscal year)."""
        import pandas as pd

        dims = self.table("dimensions")
        cur = dims[dims["fiscal_year"] == self.fy] if len(dims) else dims
        overall = cur[cur["dimension_code"] == "OVERALL"] if len(cur) else cur
        o = overall.iloc[0] if len(overall) else None

        def num(value: Any) -> float | None:
            return None if value is None or pd.isna(value) else float(value)

        top2 = num(o["top2_pct"]) if o is not None else None
        mean = num(o["mean"]) if o is not None else None
        per_dim = (
            cur[cur["dimension_code"] != "OVERALL"].dropna(subset=["mean"]) if len(cur) else cur
        )
        strongest = weakest = None
        if len(per_dim) > 1:
            names = self._labels("dimension")
            ordered = per_dim.sort_values(["mean", "dimension_code"])
            w, s = ordered.iloc[0], ordered.iloc[-1]
            weakest = (
                names.get(str(w["dimension_code"]), str(w["dimension_code"])),
                float(w["mean"]),
            )
            strongest = (
                names.get(str(s["dimension_code"]), str(s["dimension_code"])),
                float(s["mean"]),
            )
        adequacy = self.table("adequacy")
        n = int(adequacy["n"].iloc[0]) if len(adequacy) else 0
        need = int(adequacy["required_n"].iloc[0]) if len(adequacy) else 0
        card = self._card()
        counts = {k: sum(1 for a in card if a.get("status") == k)
                  for k in ("met", "partly", "not_met", "no_data")}  # fmt: skip
        rank = {"not_met": 0, "partly": 1}
        title = "title_th" if self.th else "title_en"
        todo = sorted(
            (a for a in card if a.get("status") in rank), key=lambda a: rank[str(a["status"])]
        )  # fmt: skip (stable: catalogue order)
        priorities = [(str(a["activity_code"]), str(a.get(title) or a.get("title_th") or ""),
                       str(a["status"])) for a in todo[:_PRIORITY_CODES]]  # fmt: skip
        weak_items: list[tuple[str, float]] = []
        if top2 is not None and top2 < self.target:
            items = self.table("items")
            icur = (
                items[items["fiscal_year"] == self.fy].dropna(subset=["mean"])
                if len(items)
                else items
            )
            if len(icur):
                inames = self._labels("item")
                low = icur.sort_values(["mean", "item_code"]).head(_PRIORITY_ITEMS)
                pairs = zip(low["item_code"], low["mean"], strict=True)
                weak_items = [(f"{c} {inames.get(str(c), '')}".strip(), float(v)) for c, v in pairs]
        scores = (self.meta.get("scale") or {}).get("scores") or [5]
        return UnitFacts(
            top2_pct=top2, mean=mean, target=self.target, scale_max=float(max(scores)),
            counts=counts, n=n, required_n=need,
            band=str(o["band"]) if o is not None and self.th and pd.notna(o["band"]) else "",
            min_cell=self.min_cell, strongest=strongest, weakest=weakest,
            priorities=priorities, weak_items=weak_items,
        )  # fmt: skip

    def _cover(self) -> str:
        import pandas as pd

        m = self.meta
        facts = self.headline_facts()
        province = str(m.get("province") or "")
        period = self._period()
        byline = " · ".join(x for x in (
            province, f"{self.unit_name} ({self.unit_code})",
            self.t(f"ปีงบประมาณ {self.fy} {self._round()}",
                   f"Fiscal year {self.fy}, {self._round()}"),
            self.t(f"ข้อมูลสำรวจ {period}", f"survey {period}") if period else "",
        ) if x)  # fmt: skip
        title = self.t(
            f"รายงานผลการสำรวจความพึงพอใจและการประเมินหมวด 3: {self.unit_name}",
            f"Satisfaction survey and PMQA category 3 assessment: {self.unit_name}",
        )
        lines = "".join(_line(s) for s in unit_headline(facts, self.language))
        headline = (
            f'<div class="pmqa-headline"><h2>{safe_html(self.t("สรุปผลสำคัญ", "At a glance"))}</h2>'
            f"<ul>{lines}</ul></div>"
        )
        rows = [
            (self.t("หน่วยงาน", "Unit"), f"{self.unit_name} ({self.unit_code})"),
            (self.t("จังหวัด", "Province"), province),
            (self.t("ปีงบประมาณ / รอบ", "Fiscal year / round"), f"{self.fy} / {self._round()}"),
            (self.t("ช่วงเวลาข้อมูล", "Data period"), self._period()),
            (self.t("เกณฑ์ที่ใช้", "Criteria catalogue"),
             f"{m['catalogue']['name']} ({m['catalogue']['version']})"),
            (self.t("จำนวนผู้ตอบ / ขนาดตัวอย่างที่ต้องการ", "Respondents / required"),
             f"{facts.n:,} / {facts.required_n:,} ({m['settings']['sample_size_method']})"),
        ]  # fmt: skip
        table = pd.DataFrame(rows, columns=[self.t("รายการ", "Item"), self.t("ค่า", "Value")])
        details = f"<h2>{safe_html(self.t('ข้อมูลทั่วไป', 'General information'))}</h2>"
        return (
            f"<h1>{safe_html(title)}</h1>\n"
            f'<p class="pmqa-byline">{safe_html(byline)}</p>\n'
            f"{headline}\n{details}\n{html_table(table)}"
        )
