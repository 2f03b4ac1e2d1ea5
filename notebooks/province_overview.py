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
# # ภาพรวมระดับจังหวัด / Province overview (PMQA category 3)

# %% tags=["parameters"]
run_dir: str = ""  # prepared run folder (absolute path); empty means the bundled sample
language: str = "th"  # ภาษาของรายงาน / report language: "th" or "en"

# %%
from pmqa_analysis.province_report import ProvinceReport

overview = ProvinceReport.from_parameters(run_dir, language)

# %%
overview.section("ranking")

# %%
overview.section("dimensions")

# %%
overview.section("coverage")

# %%
overview.section("committee")
