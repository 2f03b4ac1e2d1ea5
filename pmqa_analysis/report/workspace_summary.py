"""A one-line-per-unit overview of a survey (what ``pmqa demo`` prints).

Columns: unit_code, unit_name, n, required_n, reached, mean, band, mean_pct,
top2_pct, alpha, weakest_dimension, weakest_mean.  All units are computed at
once (vectorised summaries grouped by unit), for the assessed fiscal year.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from pmqa_analysis.stats.dimensions import dimension_summary
from pmqa_analysis.stats.reliability import cronbach_alpha
from pmqa_analysis.stats.sampling import sample_adequacy
from pmqa_analysis.workspace.loader import Survey

__all__ = ["format_overview", "unit_overview"]

OVERALL = "OVERALL"


def unit_overview(
    survey: Survey, fiscal_year: int | None = None, language: str | None = None
) -> pd.DataFrame:
    """One row per unit of the survey's units table, for one fiscal year.

    Parameters
    ----------
    survey : Survey
        A loaded workspace.
    fiscal_year : int, optional
        BE year; default: the survey's assessed year.
    language : {"th", "en"}, optional
        Language of names and band labels; default: the settings' language.

    Returns
    -------
    pandas.DataFrame
        unit_code, unit_name, n, required_n, reached, mean, band, mean_pct,
        top2_pct, alpha, weakest_dimension, weakest_mean.  Figures of units
        with fewer than ``min_cell`` respondents are left empty.
    """
    s = survey.settings
    lang = language or s.language
    fy = fiscal_year or survey.fiscal_year
    resp = survey.responses[survey.responses["fiscal_year"] == fy]
    items = survey.items
    scale = survey.scales[str(survey.questionnaire["scale"].iloc[0])]
    adequacy = sample_adequacy(
        resp,
        survey.units,
        fiscal_year=fy,
        method=cast(Any, s.sample_size_method),
        e=s.margin_of_error,
    ).set_index("unit_code")
    dims = dimension_summary(
        resp,
        survey.questionnaire,
        by="unit_code",
        scale=scale,
        band_preset=s.band_preset,
        language=lang,
        min_cell=s.min_cell,
    )
    overall = dims[dims["dimension_code"] == OVERALL].set_index("unit_code")
    per_dim = dims[dims["dimension_code"] != OVERALL].dropna(subset=["mean"])
    weakest = per_dim.sort_values(["unit_code", "mean", "dimension_code"]).groupby(
        "unit_code", sort=False
    ).head(1).set_index("unit_code")  # fmt: skip
    alpha = cast(pd.DataFrame, cronbach_alpha(resp, items=items, by="unit_code"))
    alpha = alpha.set_index("unit_code")
    name_col = "unit_name_th" if lang == "th" else "unit_name_en"
    names = survey.units.set_index("unit_code")[name_col]
    out = pd.DataFrame(index=pd.Index(survey.units["unit_code"], name="unit_code"))
    out["unit_name"] = names.where(names != "", survey.units.set_index("unit_code")["unit_name_th"])
    out["n"] = adequacy["n"].reindex(out.index).fillna(0).astype(int)
    out["required_n"] = adequacy["required_n"].reindex(out.index)
    out["reached"] = adequacy["reached"].reindex(out.index).fillna(False).astype(bool)
    for col in ("mean", "band", "mean_pct", "top2_pct"):
        out[col] = overall[col].reindex(out.index) if col in overall else pd.NA
    small = out["n"] < s.min_cell
    out["alpha"] = alpha["alpha"].reindex(out.index).where(~small)
    dim_name = "dimension_th" if lang == "th" else "dimension_en"
    labels = survey.questionnaire.drop_duplicates("dimension_code").set_index("dimension_code")
    wd = weakest["dimension_code"].reindex(out.index)
    out["weakest_dimension"] = wd.map(labels[dim_name]).where(~small)
    out["weakest_mean"] = weakest["mean"].reindex(out.index).where(~small)
    return out.reset_index()


def format_overview(table: pd.DataFrame, survey: Survey, language: str = "th") -> str:
    """The overview as a fixed-width text table for the terminal."""
    fy = survey.fiscal_year
    th = language == "th"
    title = (
        f"{survey.settings.province} — ปีงบประมาณ {fy}: สรุปรายหน่วยงาน"
        if th
        else f"{survey.settings.province} — fiscal year {fy}: summary per unit"
    )
    headers = (
        ["หน่วย", "ชื่อ", "n/ต้องการ", "ค่าเฉลี่ย", "ระดับ", "top-2 %", "alpha", "ด้านที่อ่อนที่สุด"]
        if th
        else ["unit", "name", "n/required", "mean", "band", "top-2 %", "alpha", "weakest dimension"]
    )
    rows = []
    for r in table.to_dict("records"):
        mark = "" if r["reached"] else " !"
        req = "-" if pd.isna(r["required_n"]) else str(int(r["required_n"]))
        weakest = r["weakest_dimension"]
        rows.append(
            [
                str(r["unit_code"]),
                str(r["unit_name"])[:34],
                f"{r['n']}/{req}{mark}",
                _fmt(r["mean"], 2),
                "" if pd.isna(r["band"]) else str(r["band"]),
                _fmt(r["top2_pct"], 1),
                _fmt(r["alpha"], 3),
                "" if pd.isna(weakest) else f"{weakest} ({_fmt(r['weakest_mean'], 2)})",
            ]
        )
    return title + "\n" + pd.DataFrame(rows, columns=headers).to_string(index=False)


def _fmt(value: Any, digits: int) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"
