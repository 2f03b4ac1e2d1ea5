"""What each section of the per-unit report says and draws: the section renderers.

:class:`UnitSections` holds one method per section of :data:`SECTIONS` (``_cover`` ...
``_methods``): each reads the unit's slice of the prepared results through the report
builder (:class:`pmqa_analysis.report.unit.UnitReport`, which inherits them), writes its
sentences from the numbers (which dimension is weakest, whether the target was met),
draws its charts with the Thai font and returns the section's HTML.  Every user text is
escaped; every table shown is also registered for the unit's Excel workbook.  Importing
this module does not import pandas or matplotlib (each section imports what it draws
with).

Examples
--------
>>> list(SECTIONS)[:3]
['cover', 'scorecard', 'respondents']
>>> _fmt(4.256), _fmt(None), _fmt(12.5, 1, "%")
('4.26', '–', '12.5%')
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.files import unit_slug
from pmqa_analysis.core.labels import (
    COMMENT_FIELDS,
    COMPLAINT_FIGURES,
    PLAN_STATUS,
    SCORECARD_STATUS,
    THEME_DIMENSIONS,
    label_columns,
    word,
)
from pmqa_analysis.core.page import reasons_html, status_chip
from pmqa_analysis.report.export import html_table, register_table, safe_html
from pmqa_analysis.report.unit_cover import CoverSection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SECTIONS", "UnitSections"]

#: section name -> (Thai title, English title), in report order
SECTIONS: dict[str, tuple[str, str]] = {
    "cover": ("สรุปผลสำคัญและข้อมูลทั่วไป", "At a glance and general information"),
    "scorecard": ("ผลการประเมินตามเกณฑ์ (CS scorecard)", "CS scorecard"),
    "respondents": ("ผู้ตอบแบบสอบถามและช่องทาง (CS1, CS2)", "Who answered and channels (CS1, CS2)"),
    "satisfaction": ("ความพึงพอใจและความไม่พึงพอใจ (CS6)", "Satisfaction and dissatisfaction (CS6)"),
    "complaints": ("ข้อร้องเรียน มาตรฐานบริการ และเครือข่าย (CS3-CS5)",
                   "Complaints, service standards and networks (CS3-CS5)"),
    "comments": ("ข้อคิดเห็นปลายเปิด", "Open comments"),
    "plan": ("ร่างแผนพัฒนาปรับปรุง (CS7)", "Improvement plan draft (CS7)"),
    "methods": ("วิธีการและคุณภาพข้อมูล", "Methods and data quality"),
}  # fmt: skip


def _fmt(value: Any, digits: int = 2, suffix: str = "") -> str:
    import pandas as pd

    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    return f"{float(value):,.{digits}f}{suffix}"


class UnitSections(CoverSection):
    """The section renderers of a unit's report (one ``_<section>`` method per section).

    A mixin: :class:`pmqa_analysis.report.unit.UnitReport` gives it the unit, its
    settings and its data (the attributes and methods declared below) and shows the
    sections; :meth:`_section_html` is one section's heading and body.
    """

    # given by the builder (pmqa_analysis.report.unit.UnitReport)
    run_dir: Path
    unit_code: str
    language: str
    th: bool
    meta: dict[str, Any]
    fy: int
    min_cell: int
    target: float
    _charts: int  # charts drawn so far: each gets its own SVG id prefix
    _tables: Path  # where tables go

    if TYPE_CHECKING:

        @property
        def questionnaire(self) -> pd.DataFrame: ...

        @property
        def unit_name(self) -> str: ...

        def table(self, name: str, unit: str | None = None) -> pd.DataFrame: ...

        def data(self, name: str, columns: list[str]) -> pd.DataFrame: ...

    # ------------------------------------------------------------------ helpers
    def t(self, th: str, en: str) -> str:
        """The text in the report's language."""
        return th if self.th else en

    def _labels(self, kind: str) -> dict[str, str]:
        col = {"item": "item", "dimension": "dimension"}[kind]
        code = f"{col}_code"
        name = f"{col}_th" if self.th else f"{col}_en"
        q = self.questionnaire
        names = q[name].where(q[name].astype(str) != "", q[f"{col}_th"])
        return dict(zip(q[code].astype(str), names.astype(str), strict=False))

    def _show(self, name: str, frame: pd.DataFrame) -> str:
        """A table in the report and in its workbook, headers in the report language."""
        levels = {f"pct_{k}": f"{v} (%)" for k, v in self._scale_labels.items()}
        labelled = label_columns(frame, self.language, extra=levels)
        register_table(self._tables, name, labelled)
        return html_table(labelled, na_rep="–")

    def _word(self, words: dict[str, tuple[str, str]], value: Any) -> Any:
        """A code's wording in the report language (the code itself when unknown)."""
        return word(words, value, self.language)

    @property
    def _scale_labels(self) -> dict[int, str]:
        scale = self.meta.get("scale") or {}
        labels = scale.get("labels_th" if self.th else "labels_en") or []
        return dict(zip(scale.get("scores") or [], labels, strict=False))

    def _img(self, fig: Any, alt: str) -> str:
        """The chart as inline SVG (text drawn by the page's embedded Sarabun)."""
        from pmqa_analysis.report.plots import figure_to_svg

        self._charts += 1
        return figure_to_svg(fig, alt=alt, prefix=f"{alt}-{self._charts}")

    def _p(self, text: str) -> str:
        return f"<p>{safe_html(text)}</p>"

    def _note(self) -> str:
        return self.t(f"ที่มา: แบบสำรวจปีงบประมาณ {self.fy}", f"Source: FY{self.fy} survey")

    # ----------------------------------------------------------------- sections
    def _section_html(self, name: str) -> str:
        th, en = SECTIONS[name]
        builder: Callable[[], str] = getattr(self, f"_{name}")
        body = builder()
        if name == "cover":  # the report's opening: its own title and headings
            return body
        return f"<h2>{safe_html(th if self.th else en)}</h2>\n{body}"

    def _scorecard(self) -> str:
        import pandas as pd

        path = self.run_dir / "assessment" / unit_slug(self.unit_code) / "scorecard.json"
        if not path.exists():
            return self._p(self.t("ไม่มีผลการประเมินตามเกณฑ์", "No scorecard was produced."))
        card = json.loads(path.read_text(encoding="utf-8"))
        rows = card.get("activities") or card.get("codes") or []
        frame = pd.DataFrame(rows)
        if frame.empty:
            return self._p(self.t("ไม่มีผลการประเมินตามเกณฑ์", "No scorecard was produced."))
        from pmqa_analysis.report.plots import scorecard_grid

        frame["unit_code"] = self.unit_code
        fig = scorecard_grid(frame, row_labels={self.unit_code: self.unit_name},
                             language=self.language, note=self._note())  # fmt: skip
        counts = frame["status"].value_counts()
        text = self.t(
            f"ผ่าน {counts.get('met', 0)} รหัส, ผ่านบางส่วน {counts.get('partly', 0)}, "
            f"ไม่ผ่าน {counts.get('not_met', 0)}, ไม่มีข้อมูล {counts.get('no_data', 0)} "
            f"จาก {len(frame)} รหัสกิจกรรม",
            f"{counts.get('met', 0)} activity codes met, {counts.get('partly', 0)} partly, "
            f"{counts.get('not_met', 0)} not met, {counts.get('no_data', 0)} with no data "
            f"(of {len(frame)}).",
        )
        reason = "reason_th" if self.th else "reason_en"
        show = frame[[c for c in ("activity_code", "status", reason) if c in frame]].copy()
        show["status"] = show["status"].map(lambda v: self._word(SCORECARD_STATUS, v))
        show = show.rename(columns={"status": self.t("ผล", "Result")})
        labelled = label_columns(show, self.language)
        register_table(self._tables, "scorecard", labelled)
        return self._p(text) + self._img(fig, "scorecard") + self._scorecard_table(frame, labelled)

    def _scorecard_table(self, frame: pd.DataFrame, labelled: pd.DataFrame) -> str:
        """The scorecard as a table: the code and title, the result as a coloured label, the
        reasons as a list (the workbook gets the same table as plain text)."""
        title = "title_th" if self.th else "title_en"
        head = "".join(f'<th class="pmqa-text">{safe_html(c)}</th>' for c in labelled.columns)
        rows = []
        for rec, shown in zip(frame.to_dict("records"), labelled.itertuples(index=False),
                              strict=True):  # fmt: skip
            name = rec.get(title) or rec.get("title_th") or ""
            code = f"<strong>{safe_html(rec['activity_code'])}</strong>"
            code += f"<br>{safe_html(name)}" if name else ""
            cells = [
                f'<td class="pmqa-text">{code}</td>',
                f'<td class="pmqa-text">{status_chip(str(rec["status"]), str(shown[1]))}</td>',
            ]
            if len(shown) > 2:
                cells.append(f'<td class="pmqa-text">{reasons_html(shown[2])}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return (f'<table class="pmqa-table pmqa-scorecard"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip

    def _respondents(self) -> str:
        prof = self.table("profile")
        parts: list[str] = []
        if len(prof):
            groups = {str(g["group_code"]): str(g["group_name_th" if self.th else "group_name_en"]
                                                or g["group_name_th"]) for g in self.meta["groups"]}  # fmt: skip
            g = prof[prof["variable"] == "group_code"].copy()
            g["value"] = g["value"].map(lambda v: groups.get(str(v), str(v)))
            g = g.rename(columns={"value": self.t("กลุ่ม", "Group"), "pct": "%"})
            g["%"] = g["%"].round(1)
            g["n"] = g["n"].round().astype("Int64")  # counts; a suppressed cell shows –
            largest = g.sort_values("n", ascending=False).iloc[0] if g["n"].notna().any() else None
            if largest is not None:
                parts.append(self._p(self.t(
                    f"กลุ่มที่ตอบมากที่สุดคือ {largest.iloc[2]} ({_fmt(largest['%'], 1)}%)",
                    f"The largest group of respondents is {largest.iloc[2]} "
                    f"({_fmt(largest['%'], 1)}%).",
                )))  # fmt: skip
            parts.append(
                self._show("groups", g.drop(columns=["unit_code", "variable", "suppressed"]))
            )
        cm = self.table("channel_matrix")
        if len(cm) and cm["n"].sum() > 0:
            from pmqa_analysis.report.plots import heatmap

            agg = cm.groupby(["group_code", "channel_code"], as_index=False).agg(n=("n", "sum"))
            group_names = {
                str(g["group_code"]): str(g["group_name_th"]) for g in self.meta["groups"]
            }
            channel_names = {
                str(c["channel_code"]): str(
                    c["channel_name_th" if self.th else "channel_name_en"] or c["channel_name_th"]
                )
                for c in self.meta["channels"]
            }
            fig = heatmap(agg, language=self.language, note=self._note(),
                          row_labels=group_names if self.th else None, col_labels=channel_names,
                          title=self.t("กลุ่มผู้รับบริการ × ช่องทาง", "Group × channel"))  # fmt: skip
            parts.append(self._img(fig, "group by channel"))
        return "\n".join(parts) or self._p(self.t("ไม่มีข้อมูล", "No data."))

    def _satisfaction(self) -> str:
        import pandas as pd

        from pmqa_analysis.report.plots import likert_bars, mean_ci_chart, trend_chart

        items = self.table("items")
        cur = items[items["fiscal_year"] == self.fy]
        if cur.empty or cur["mean"].isna().all():
            return self._p(self.t(
                f"มีผู้ตอบน้อยกว่า {self.min_cell} ราย ไม่แสดงผลเพื่อคุ้มครองข้อมูล",
                f"Fewer than {self.min_cell} respondents: figures suppressed.",
            ))  # fmt: skip
        labels = self.meta["scale"]["labels_th" if self.th else "labels_en"]
        item_names = self._labels("item")
        dim_names = self._labels("dimension")
        parts: list[str] = []
        dims = self.table("dimensions")
        dcur = dims[(dims["fiscal_year"] == self.fy)]
        overall = dcur[dcur["dimension_code"] == "OVERALL"]
        per_dim = dcur[dcur["dimension_code"] != "OVERALL"].dropna(subset=["mean"])
        if len(overall):
            o = overall.iloc[0]
            met = o["top2_pct"] >= self.target
            parts.append(self._p(self.t(
                f"ความพึงพอใจโดยรวมเฉลี่ย {_fmt(o['mean'])} ({o['band']}) คิดเป็นร้อยละ "
                f"{_fmt(o['mean_pct'], 1)} ของคะแนนเต็ม; ผู้ตอบพึงพอใจในระดับมากถึงมากที่สุด "
                f"(top-2-box) ร้อยละ {_fmt(o['top2_pct'], 1)} "
                + ("ถึงเป้าหมาย" if met else "ต่ำกว่าเป้าหมาย") + f" ร้อยละ {self.target:g}",
                f"Overall satisfaction averages {_fmt(o['mean'])} ({o['band']}), "
                f"{_fmt(o['mean_pct'], 1)}% of the maximum; {_fmt(o['top2_pct'], 1)}% answered "
                f"in the top two levels, " + ("meeting" if met else "below")
                + f" the {self.target:g}% target.",
            )))  # fmt: skip
        if len(per_dim):
            weak = per_dim.sort_values(["mean", "dimension_code"]).iloc[0]
            strong = per_dim.sort_values(["mean", "dimension_code"]).iloc[-1]
            parts.append(self._p(self.t(
                f"ด้านที่ได้คะแนนต่ำสุดคือ {dim_names.get(weak['dimension_code'], '')} "
                f"(x̄ = {_fmt(weak['mean'])}); สูงสุดคือ {dim_names.get(strong['dimension_code'], '')} "
                f"(x̄ = {_fmt(strong['mean'])})",
                f"The weakest dimension is {dim_names.get(weak['dimension_code'], '')} "
                f"(mean {_fmt(weak['mean'])}); the strongest is "
                f"{dim_names.get(strong['dimension_code'], '')} (mean {_fmt(strong['mean'])}).",
            )))  # fmt: skip
        order = [c for c in self.questionnaire["item_code"] if c in set(cur["item_code"])]
        cur = cur.set_index("item_code").loc[order].reset_index()
        fig = likert_bars(cur, labels=labels, item_labels=item_names, language=self.language,
                          note=self._note())  # fmt: skip
        parts.append(self._img(fig, "likert"))
        prov_rows = self.table("items_province", unit="__province__")
        prov: pd.Series = prov_rows[prov_rows["fiscal_year"] == self.fy].set_index("item_code")[
            "mean"
        ]
        last: pd.Series = items[items["fiscal_year"] == self.fy - 1].set_index("item_code")["mean"]
        chart = cur.assign(province=cur["item_code"].map(prov), previous=cur["item_code"].map(last))
        has_ci = "mean_lo" in chart
        fig = mean_ci_chart(chart, label_col="item_code", labels=item_names,
                            lo_col="mean_lo" if has_ci else None,
                            hi_col="mean_hi" if has_ci else None,
                            reference="province", previous="previous", language=self.language,
                            note=self._note())  # fmt: skip
        parts.append(self._img(fig, "means"))
        cols = ["item_code", "n", *[c for c in cur.columns if str(c).startswith("pct_")], "mean", "sd",
                "band", "rank", "top2_pct", "bottom2_pct"]  # fmt: skip
        show = cur[cols].copy()
        show.insert(1, self.t("ข้อคำถาม", "Item"), show["item_code"].map(item_names))
        parts.append(self._show("items", show.round(2)))
        dshow = per_dim[["dimension_code", "n", "mean", "sd", "band", "rank", "top2_pct",
                         "bottom2_pct"]].copy()  # fmt: skip
        dshow.insert(1, self.t("ด้าน", "Dimension"), dshow["dimension_code"].map(dim_names))
        parts.append(self._show("dimensions", pd.concat([dshow, overall[dshow.columns.intersection(
            overall.columns)]]).round(2)))  # fmt: skip
        worst = cur.sort_values(["bottom2_pct", "item_code"], ascending=[False, True]).iloc[0]
        parts.append(self._p(self.t(
            f"ความไม่พึงพอใจ (น้อย–น้อยที่สุด) สูงสุดที่ข้อ \"{item_names.get(worst['item_code'])}\" "
            f"ร้อยละ {_fmt(worst['bottom2_pct'], 1)}",
            f"Dissatisfaction (bottom two levels) is highest for \"{item_names.get(worst['item_code'])}\""
            f": {_fmt(worst['bottom2_pct'], 1)}%.",
        )))  # fmt: skip
        yearly = self.table("overall_by_year").dropna(subset=["mean"])
        if len(yearly) > 1:
            scores = self.meta["scale"]["scores"]
            fig = trend_chart(
                yearly, value_col="mean", language=self.language, note=self._note(),
                min_span=1.0, limits=(min(scores), max(scores)),
                title=self.t("ค่าเฉลี่ยความพึงพอใจรายปี", "Mean satisfaction by year"),
            )  # fmt: skip
            parts.append(self._img(fig, "trend"))
        return "\n".join(parts)

    def _complaints(self) -> str:
        import pandas as pd

        parts: list[str] = []
        c = self.table("complaints")
        if len(c):
            r = c.iloc[0]
            parts.append(self._p(self.t(
                f"ข้อร้องเรียน {int(r['n'])} เรื่อง ปิดแล้ว {int(r['n_closed'])} เรื่อง "
                f"แจ้งผลภายในมาตรฐาน {self.meta['settings']['complaint_standard_days']:g} วัน "
                f"ร้อยละ {_fmt(r['closed_within_standard_pct'], 1)}; "
                f"ค่ามัธยฐาน {_fmt(r['median_days_to_close'], 1)} วัน",
                f"{int(r['n'])} complaints, {int(r['n_closed'])} closed; "
                f"{_fmt(r['closed_within_standard_pct'], 1)}% closed within the "
                f"{self.meta['settings']['complaint_standard_days']:g}-day standard; median "
                f"{_fmt(r['median_days_to_close'], 1)} days.",
            )))  # fmt: skip
            cat = self.table("complaint_counts_category")
            if len(cat):
                from pmqa_analysis.report.plots import pareto_chart

                fig = pareto_chart(cat, category_col="category", language=self.language,
                                   note=self._note())  # fmt: skip
                parts.append(self._img(fig, "pareto"))
                if "multi_label" in cat and bool(cat["multi_label"].any()):
                    n_c = int(cat["n_complaints"].iloc[0])
                    parts.append(self._p(self.t(
                        f"ข้อร้องเรียนหนึ่งเรื่องอาจมีหลายประเภท: นับทุกประเภทที่ระบุ "
                        f"(รวม {int(cat['n'].sum()):,} ครั้ง จาก {n_c:,} เรื่อง) "
                        "ร้อยละคิดจากจำนวนเรื่อง จึงรวมกันได้เกิน 100",
                        f"A complaint may carry several categories: each is counted "
                        f"({int(cat['n'].sum()):,} mentions in {n_c:,} complaints); the "
                        "percentages are of complaints and may add up to more than 100.",
                    )))  # fmt: skip
            closing = self.data("complaints", ["fiscal_year", "days_to_close"])
            if "fiscal_year" in closing:
                closing = closing[closing["fiscal_year"] == self.fy]
            if closing["days_to_close"].notna().any():
                from pmqa_analysis.report.plots import days_to_close_chart

                fig = days_to_close_chart(
                    closing, language=self.language,
                    standard_days=float(self.meta["settings"]["complaint_standard_days"]),
                )  # fmt: skip
                parts.append(self._img(fig, "days to close"))
            figures = [(label[0 if self.th else 1], r[col]) for col, label
                       in COMPLAINT_FIGURES.items() if col in r.index and pd.notna(r[col])]  # fmt: skip
            summary = pd.DataFrame(
                {self.t("รายการ", "Figure"): [f for f, _ in figures],
                 self.t("ค่า", "Value"): [_fmt(v, 0 if float(v).is_integer() else 1)
                                          for _, v in figures]}
            )  # fmt: skip
            parts.append(self._show("complaints", summary))
            states = self.table("complaint_states")
            if len(states) and not set(states["state"].astype(str)) <= {"open", "closed"}:
                # a log with its own states (Traffy: รอรับเรื่อง, ส่งต่อ ...): each one shown
                shown = pd.DataFrame({
                    self.t("สถานะ", "State"): states["state"].astype(str),
                    self.t("ปิดแล้วหรือไม่", "Closed?"): states["status"].map(
                        lambda v: self.t("ปิดแล้ว", "closed") if v == "closed"
                        else self.t("ยังไม่ปิด", "open")),
                    self.t("จำนวน (เรื่อง)", "Complaints"): states["n"].astype("int64"),
                    self.t("ร้อยละ", "%"): states["pct"].round(1),
                })  # fmt: skip
                parts.append(self._show("complaint_states", shown))
        s = self.table("service")
        if len(s):
            summ = self.table("service_summary")
            if len(summ):
                parts.append(self._p(self.t(
                    f"ให้บริการเสร็จภายในเวลามาตรฐานร้อยละ {_fmt(summ['within_standard_pct'].iloc[0], 1)}",
                    f"{_fmt(summ['within_standard_pct'].iloc[0], 1)}% of transactions were "
                    "completed within the published time.",
                )))  # fmt: skip
            parts.append(self._show("service", s.drop(columns=["unit_code"]).round(1)))
        a = self.table("activities")
        if len(a):
            r = a.iloc[0]
            parts.append(self._p(self.t(
                f"กิจกรรมสร้างเครือข่าย {int(r['activities_count'])} ครั้ง ผู้เข้าร่วม "
                f"{int(r['participants_total']):,} คน ครอบคลุมกลุ่มร้อยละ "
                f"{_fmt(r['activity_groups_covered_pct'], 1)}",
                f"{int(r['activities_count'])} network activities, "
                f"{int(r['participants_total']):,} participants, covering "
                f"{_fmt(r['activity_groups_covered_pct'], 1)}% of the registered groups.",
            )))  # fmt: skip
        return "\n".join(parts) or self._p(self.t("ไม่มีข้อมูล", "No data."))

    def _comments(self) -> str:
        themes = self.table("themes")
        if themes.empty or themes["n_comments"].sum() == 0:
            return self._p(self.t("ไม่มีข้อคิดเห็น", "No comments."))
        label = "theme_th" if self.th else "theme_en"
        top = themes[themes["n_comments"] > 0].sort_values(
            ["column", "n_comments", "theme_code"], ascending=[True, False, True]
        )
        show = top[["column", label, "dimension", "cs_code", "n_comments", "pct_of_comments"]]
        show = show.assign(
            column=show["column"].map(lambda v: self._word(COMMENT_FIELDS, v)),
            dimension=show["dimension"].map(lambda v: self._word(THEME_DIMENSIONS, v)),
        )
        parts = [self._show("themes", show.round(1))]
        ex = self.table("comment_examples")
        if len(ex):
            # one comment may carry several themes: quote it once; mix the columns
            ex = ex.drop_duplicates("comment").sort_values(["theme_code", "column"], kind="stable")
            picked = ex.groupby("column", sort=True).head(3)["comment"].head(8)
            quotes = "".join(f"<li>{safe_html(t)}</li>" for t in picked)
            parts.append(
                f"<p>{safe_html(self.t('ตัวอย่างข้อคิดเห็น (ปกปิดข้อมูลส่วนบุคคลแล้ว)', 'Examples (personal data masked)'))}</p><ul>{quotes}</ul>"
            )
        return "\n".join(parts)

    def _plan(self) -> str:
        import pandas as pd

        folder = self.run_dir / "assessment" / unit_slug(self.unit_code)
        parts: list[str] = []
        progress_path = self.run_dir / "assessment" / "plan_progress.csv"
        if progress_path.exists():
            prog = pd.read_csv(progress_path, encoding="utf-8-sig", dtype={"unit_code": str})
            prog = prog[prog["unit_code"] == self.unit_code]
            if len(prog):
                counts = prog["progress"].value_counts() if "progress" in prog else pd.Series()
                parts.append(self._p(self.t(
                    f"ความก้าวหน้าของแผนปีที่แล้ว: เสร็จ {counts.get('done', 0)}, "
                    f"ตามกำหนด {counts.get('on_track', 0)}, ล่าช้า {counts.get('late', 0)} "
                    f"จาก {len(prog)} รายการ",
                    f"Last year's approved plan: {counts.get('done', 0)} done, "
                    f"{counts.get('on_track', 0)} on track, {counts.get('late', 0)} late "
                    f"of {len(prog)}.",
                )))  # fmt: skip
                drop = [
                    "unit_code",
                    *(("progress", "detail_en") if self.th else ("progress_th", "detail_th")),
                ]
                parts.append(self._show("plan_progress", prog.drop(columns=drop, errors="ignore")))
        path = folder / "improvement_plan.csv"
        plan = pd.read_csv(path, encoding="utf-8-sig") if path.exists() else pd.DataFrame()
        if plan.empty:
            parts.append(self._p(self.t("ไม่มีประเด็นที่ต้องปรับปรุง", "No gaps found.")))
            return "\n".join(parts)
        cols = [c for c in ("activity_code", "gap", "action", "kpi", "target", "owner",
                            "due_date", "status") if c in plan]  # fmt: skip
        parts.append(self._p(self.t(
            f"ร่างแผน {len(plan)} รายการ (แก้ไขได้ในไฟล์ improvement_plan.xlsx)",
            f"{len(plan)} draft actions (edit them in improvement_plan.xlsx).",
        )))  # fmt: skip
        shown = plan[cols].copy()
        if "status" in shown:
            shown["status"] = shown["status"].map(lambda v: self._word(PLAN_STATUS, v))
        parts.append(self._show("plan", shown))
        return "\n".join(parts)

    def _methods(self) -> str:
        import pandas as pd

        m = self.meta
        alpha = self.table("alpha")
        a = alpha["alpha"].iloc[0] if len(alpha) else None
        lines = [
            m["bands"]["th" if self.th else "en"],
            self.t(
                "ร้อยละความพึงพอใจรายงานสองแบบ: ค่าเฉลี่ย ÷ คะแนนเต็ม × 100 และสัดส่วนผู้ตอบระดับมากถึงมากที่สุด (top-2-box) พร้อมช่วงความเชื่อมั่น 95% แบบ Wilson",
                "Percent satisfied is shown two ways: mean ÷ maximum × 100, and the top-2-box share with Wilson 95% intervals.",
            ),
            self.t(
                f"ค่าความเชื่อมั่นของแบบสอบถาม (Cronbach's alpha) = {_fmt(a, 3)}",
                f"Questionnaire reliability (Cronbach's alpha) = {_fmt(a, 3)}.",
            ),
            self.t(
                f"ตัวเลขที่มีผู้ตอบน้อยกว่า {self.min_cell} รายไม่แสดง (n < {self.min_cell}); ข้อมูลส่วนบุคคลในข้อคิดเห็นถูกปกปิดก่อนบันทึก",
                f"Figures based on fewer than {self.min_cell} respondents are suppressed; personal data in comments is masked before anything is written.",
            ),
        ]  # fmt: skip
        warn = [w for w in m.get("warnings", []) if w.get("value") in (self.unit_code, None)]
        body = "".join(self._p(x) for x in lines)
        if warn:
            body += self._show("data_quality", pd.DataFrame(warn))
        return body
