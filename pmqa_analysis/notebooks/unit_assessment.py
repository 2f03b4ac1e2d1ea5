# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # รายงานผลการประเมินหมวด 3 รายหน่วยงาน / Unit assessment report (PMQA category 3)
#
# สร้างโดย `pmqa report` จากผลที่คำนวณไว้แล้วในโฟลเดอร์ของรอบการประมวลผล
# (Built by `pmqa report` from the run folder's prepared results.)

# %% tags=["parameters"]
unit_code: str = "U01"  # รหัสหน่วยงาน / unit code, as text (e.g. "U01")
run_dir: str = ""  # prepared run folder (absolute path); empty means the bundled sample
language: str = "th"  # ภาษาของรายงาน / report language: "th" or "en"

# %%
from pmqa_analysis.report.unit import UnitReport
from pmqa_analysis.run.prepare import resolve_run_dir

report = UnitReport.from_parameters(resolve_run_dir(run_dir, language), unit_code, language)

# %%
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
