# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
unit_code: str = "U01"  # รหัสหน่วยงาน / unit code, as text (e.g. "U01")
run_dir: str = ""  # prepared run folder (absolute path); empty means the bundled sample
language: str = "th"  # ภาษาของรายงาน / report language: "th" or "en"

# %%
from pmqa_analysis.report.unit import UnitReport
from pmqa_analysis.run.run_folder import resolve_run_dir

report = UnitReport.from_parameters(resolve_run_dir(run_dir, language), unit_code, language)

# %%
# the report's title, its reader's line (province, unit, fiscal year, survey period) and the
# headline block come from the numbers: there is no fixed title cell
report.section("cover")

# %%
report.section("scorecard")

# %%
report.section("respondents")

# %%
report.section("satisfaction")

# %%
report.section("complaints")

# %%
report.section("comments")

# %%
report.section("plan")

# %%
report.section("methods")
