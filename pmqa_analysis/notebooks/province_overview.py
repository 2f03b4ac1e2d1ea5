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
run_dir: str = ""  # prepared run folder (absolute path); empty means the bundled sample
language: str = "th"  # ภาษาของรายงาน / report language: "th" or "en"

# %%
from pmqa_analysis.report.province import ProvinceReport
from pmqa_analysis.run.run_folder import resolve_run_dir

overview = ProvinceReport.from_parameters(resolve_run_dir(run_dir, language), language)

# %%
# the page's title and its reader's line (province, fiscal year, survey period) come from the run
overview.section("cover")

# %%
overview.section("ranking")

# %%
overview.section("dimensions")

# %%
overview.section("coverage")

# %%
overview.section("committee")
