"""The province overview, section by section, for ``province_overview.ipynb``.

All units side by side from a prepared run folder: ranking, a units ×
dimensions heatmap, CS coverage (the scorecard grid) and the committee view
activity code by activity code.  Like :mod:`pmqa_analysis.report.unit`, each
section returns one escaped ``IPython.display.HTML`` object.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from pmqa_analysis.core.files import check_run_dir, unit_slug
from pmqa_analysis.core.labels import SCORECARD_STATUS, label_columns, word
from pmqa_analysis.report.export import html_table, safe_html

__all__ = ["PROVINCE_SECTIONS", "ProvinceReport"]

PROVINCE_SECTIONS: dict[str, tuple[str, str]] = {
    "cover": ("ภาพรวมระดับจังหวัด", "Province overview"),
    "ranking": ("ภาพรวมรายหน่วยงาน", "Units side by side"),
    "dimensions": ("คะแนนรายด้านของทุกหน่วยงาน", "Dimension means by unit"),
    "coverage": ("ผลการประเมินตามเกณฑ์ (CS) ทุกหน่วยงาน", "CS coverage across units"),
    "committee": ("มุมมองคณะกรรมการ: รายรหัสกิจกรรม", "Committee view: activity code by code"),
}


def _int(value: Any) -> str:
    return "–" if pd.isna(value) else f"{int(value):,}"


def _short(n: Any, need: Any) -> str:
    return "–" if pd.isna(n) or pd.isna(need) else f"{max(int(need) - int(n), 0):,}"


class ProvinceReport:
    """The province overview built from a prepared run folder."""

    def __init__(self, run_dir: str | Path, language: str = "th") -> None:
        from pmqa_analysis.report.plots import use_thai_font

        use_thai_font()
        self.run_dir = Path(run_dir).resolve()
        self.language = language
        self.th = language == "th"
        self._charts = 0  # charts drawn so far: each gets its own SVG id prefix
        meta = self.run_dir / "results" / "meta.json"
        self.meta: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
        self.fy = int(self.meta["fiscal_year"])
        name = "unit_name_th" if self.th else "unit_name_en"
        self.units = {
            str(u["unit_code"]): str(u.get(name) or u["unit_name_th"]) for u in self.meta["units"]
        }

    @classmethod
    def from_parameters(cls, run_dir: str | Path, language: str = "th") -> ProvinceReport:
        """Build from the notebook's parameters, checking them first (fail fast).

        ``run_dir`` must be a prepared run folder; the notebooks pass it through
        :func:`pmqa_analysis.run.run_folder.resolve_run_dir`, which maps an empty value to
        the bundled sample.
        """
        run_dir = check_run_dir(run_dir, language)
        return cls(run_dir, language)

    def t(self, th: str, en: str) -> str:
        """The text in the report's language."""
        return th if self.th else en

    def _read(self, name: str) -> pd.DataFrame:
        path = self.run_dir / "results" / f"{name}.parquet"
        return pd.read_parquet(path) if path.exists() else pd.DataFrame()

    def _img(self, fig: Any, alt: str) -> str:
        """The chart as inline SVG (text drawn by the page's embedded Sarabun)."""
        from pmqa_analysis.report.plots import figure_to_svg

        self._charts += 1
        return figure_to_svg(fig, alt=alt, prefix=f"{alt}-{self._charts}")

    def scorecards(self) -> pd.DataFrame:
        """Every unit's scorecard rows (unit_code, activity_code, status, reasons)."""
        rows = []
        for code in self.units:
            path = self.run_dir / "assessment" / unit_slug(code) / "scorecard.json"
            if path.exists():
                card = json.loads(path.read_text(encoding="utf-8"))
                for r in card.get("activities") or card.get("codes") or []:
                    rows.append({"unit_code": code, **r})
        return pd.DataFrame(rows)

    def section(self, name: str) -> Any:
        """One section as an ``IPython.display.HTML`` object."""
        from IPython.display import HTML

        if name not in PROVINCE_SECTIONS:
            raise ValueError(
                f"unknown section {name!r}; expected one of {', '.join(PROVINCE_SECTIONS)}"
            )
        th, en = PROVINCE_SECTIONS[name]
        body = getattr(self, f"_{name}")()
        if name == "cover":  # the page's title and its reader's line
            return HTML(body)
        return HTML(f"<h2>{safe_html(th if self.th else en)}</h2>\n{body}")

    def _cover(self) -> str:
        from pmqa_analysis.report.unit_cover import period_text

        province = str(self.meta.get("province") or "")
        named = f": {province}" if province else ""  # settings.toml may leave province empty
        title = self.t(f"ภาพรวมระดับจังหวัด{named}", f"Province overview{named}")
        start, end = [*(self.meta.get("data_period") or []), None, None][:2]
        period = period_text(start, end, self.language)
        byline = " · ".join(x for x in (
            self.t(f"ปีงบประมาณ {self.fy}", f"Fiscal year {self.fy}"),
            self.t(f"ข้อมูลสำรวจ {period}", f"survey {period}") if period else "",
            self.t(f"{len(self.units)} หน่วยงาน", f"{len(self.units)} units"),
            self.t("การประเมินหมวด 3 (PMQA)", "PMQA category 3"),
        ) if x)  # fmt: skip
        return f'<h1>{safe_html(title)}</h1>\n<p class="pmqa-byline">{safe_html(byline)}</p>'

    def ranking(self) -> pd.DataFrame:
        """One row per unit: n, required n, whether it was reached, overall mean, band,
        top-2-box %, alpha, rank.

        Only units whose sample reached the required size are ranked (``rank`` is missing
        for the others: their means are too uncertain to order), best mean first; the
        unranked units follow in the units file's order.
        """
        dims = self._read("dimensions")
        over = dims[(dims["fiscal_year"] == self.fy) & (dims["dimension_code"] == "OVERALL")]
        adequacy = self._read("adequacy").set_index("unit_code")
        alpha = self._read("alpha").set_index("unit_code")["alpha"]
        out = over.set_index("unit_code")[["mean", "band", "mean_pct", "top2_pct"]]
        out = out.reindex(list(self.units))
        out.insert(0, "name", [self.units[c] for c in out.index])
        out.insert(1, "n", adequacy["n"].reindex(out.index))
        out.insert(2, "required_n", adequacy["required_n"].reindex(out.index))
        out.insert(3, "reached", adequacy["reached"].reindex(out.index))
        out["alpha"] = alpha.reindex(out.index)
        ranked = out["mean"].where(out["reached"].eq(True)).round(2)
        out["rank"] = ranked.rank(ascending=False, method="min").astype("Int64")
        out["order"] = range(len(out))
        out = out.reset_index().sort_values(["rank", "order"], na_position="last")
        return out.drop(columns="order").reset_index(drop=True)

    def _ranking(self) -> str:
        table = self.ranking()
        target = float(self.meta["settings"]["target_pct"])
        ranked = table[table["rank"].notna()]
        apart = table[table["rank"].isna()]
        lines = [self.t(
            f"จัดอันดับเฉพาะหน่วยงานที่มีขนาดตัวอย่างเพียงพอ: {len(ranked)} จาก {len(table)} หน่วยงาน",
            f"Only units whose sample reached the required size are ranked: {len(ranked)} of "
            f"{len(table)}.",
        )]  # fmt: skip
        if len(ranked):
            hit = int((ranked["top2_pct"] >= target).sum())
            lines.append(self.t(
                f"ในจำนวนนี้ ถึงเป้าหมาย top-2-box ร้อยละ {target:g}: {hit} จาก {len(ranked)} หน่วยงาน",
                f"Of these, {hit} of {len(ranked)} reached the {target:g}% top-2-box target.",
            ))  # fmt: skip
            best, worst = ranked.iloc[0], ranked.iloc[-1]
            if len(ranked) > 1:
                lines.append(self.t(
                    f"ค่าเฉลี่ยสูงสุด: {best['name']} ({best['mean']:.2f}); "
                    f"ต่ำสุด: {worst['name']} ({worst['mean']:.2f})",
                    f"Highest mean: {best['name']} ({best['mean']:.2f}); "
                    f"lowest: {worst['name']} ({worst['mean']:.2f}).",
                ))  # fmt: skip
        if len(apart):
            lines.append(self.t(
                f"ไม่จัดอันดับ {len(apart)} หน่วยงาน เพราะขนาดตัวอย่างยังไม่ถึงที่กำหนด (ดูตารางด้านล่าง)",
                f"{len(apart)} units are not ranked: their samples are below the required size "
                "(see the table below).",
            ))  # fmt: skip
        parts = ["<ul>" + "".join(f"<li>{safe_html(x)}</li>" for x in lines) + "</ul>"]
        words = {True: self.t("พอ", "yes"), False: self.t("ไม่พอ", "no")}
        rounding = {"mean": 2, "mean_pct": 1, "top2_pct": 1, "alpha": 3}
        if len(ranked):
            shown = ranked.assign(reached=ranked["reached"].map(words)).round(rounding)
            parts.append(html_table(label_columns(shown, self.language), na_rep="–"))
        else:
            parts.append(self._p(self.t(
                "ไม่มีหน่วยงานใดที่มีขนาดตัวอย่างเพียงพอ จึงไม่จัดอันดับ",
                "No unit reached its required sample size: no ranking is given.",
            )))  # fmt: skip
        if len(apart):
            heading = self.t("หน่วยงานที่ไม่จัดอันดับ: ขนาดตัวอย่างยังไม่ถึงที่กำหนด",
                             "Not ranked: sample below the required size")  # fmt: skip
            parts.append(f"<h3>{safe_html(heading)}</h3>")
            why = [
                self.t(f"ผู้ตอบ {_int(n)} จากที่ต้องการ {_int(need)} ราย (ขาดอีก {_short(n, need)} ราย)",
                       f"{_int(n)} respondents of the {_int(need)} required "
                       f"({_short(n, need)} short)")
                if pd.notna(need) else self.t("ไม่ทราบขนาดตัวอย่างที่ต้องการ",
                                              "required sample size unknown")
                for n, need in zip(apart["n"], apart["required_n"], strict=True)
            ]  # fmt: skip
            shown = apart[["unit_code", "name", "n", "required_n", "reached", "mean",
                           "top2_pct"]].assign(reached=apart["reached"].map(words))  # fmt: skip
            shown = label_columns(shown.round(rounding), self.language)
            shown[self.t("เหตุที่ไม่จัดอันดับ", "Why not ranked")] = why
            parts.append(html_table(shown, na_rep="–"))
        return "\n".join(parts)

    def _p(self, text: str) -> str:
        return f"<p>{safe_html(text)}</p>"

    def _dimensions(self) -> str:
        from pmqa_analysis.report.plots import heatmap

        dims = self._read("dimensions")
        cur = dims[(dims["fiscal_year"] == self.fy) & (dims["dimension_code"] != "OVERALL")]
        q = pd.DataFrame(self.meta["questionnaire"]).drop_duplicates("dimension_code")
        names = dict(zip(q["dimension_code"], q["dimension_th" if self.th else "dimension_en"],
                         strict=False))  # fmt: skip
        scores = self.meta["scale"]["scores"]
        present = cur["mean"].dropna()
        low = math.floor(float(present.min()) * 2) / 2 if len(present) else float(min(scores))
        fig = heatmap(cur.dropna(subset=["mean"]), row="unit_code", col="dimension_code",
                      value="mean", row_labels=self.units, col_labels=names,
                      row_order=list(self.units), col_order=list(names),
                      vmin=max(float(min(scores)), low), vmax=float(max(scores)),
                      language=self.language, cmap="Greys", value_format="{:.2f}",
                      xlabel=self.t("ด้าน", "Dimension"), ylabel=self.t("หน่วยงาน", "Unit"),
                      value_label=self.t("ค่าเฉลี่ย", "Mean"),
                      title=self.t("ค่าเฉลี่ยรายด้าน", "Mean by dimension"))  # fmt: skip
        return self._img(fig, "dimension heatmap")

    def _coverage(self) -> str:
        from pmqa_analysis.report.plots import scorecard_grid

        cards = self.scorecards()
        if cards.empty:
            return f"<p>{safe_html(self.t('ไม่มีผลการประเมิน', 'No scorecards.'))}</p>"
        fig = scorecard_grid(cards, row_labels=self.units, language=self.language)
        counts = cards.pivot_table(index="activity_code", columns="status", values="unit_code",
                                   aggfunc="count", fill_value=0)  # fmt: skip
        # every status, in the legend's order (met, partly, not met, no data), 0 when unused
        counts = counts.reindex(columns=list(SCORECARD_STATUS), fill_value=0)
        counts.columns.name = None
        words = {s: word(SCORECARD_STATUS, s, self.language) for s in SCORECARD_STATUS}
        shown = label_columns(counts.reset_index(), self.language, extra=words)
        return self._img(fig, "scorecard grid") + html_table(shown)

    def _committee(self) -> str:
        cards = self.scorecards()
        if cards.empty:
            return ""
        reason = "reason_th" if self.th else "reason_en"
        parts = []
        for code, rows in cards.groupby("activity_code", sort=True):
            show = rows[[c for c in ("unit_code", "status", reason) if c in rows]].copy()
            show.insert(1, "name", show["unit_code"].map(self.units))
            show["status"] = show["status"].map(lambda v: word(SCORECARD_STATUS, v, self.language))
            show = label_columns(show, self.language, extra={"status": self.t("ผล", "Result")})
            parts.append(f"<h3>{safe_html(code)}</h3>" + html_table(show))
        return "\n".join(parts)
