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
# # สำรวจข้อมูลแบบสอบถาม / Explore a survey
#
# A starting point for analysts: load a workspace, slice by unit, group, channel or
# year, and compare. Every cell is a call into `pmqa_analysis` (see its docstrings).

# %% tags=["parameters"]
workspace: str = ""  # workspace folder; empty means the bundled sample
unit_code: str = "U04"  # a unit to look at closely
language: str = "th"  # "th" or "en"

# %%
import pmqa_analysis as pa

survey = pa.load_workspace(workspace or pa.sample_workspace())
survey.responses.head()

# %%
current = survey.responses[survey.responses["fiscal_year"] == survey.fiscal_year]
pa.dimension_summary(current, survey.questionnaire, by="unit_code", language=language)

# %%
unit = current[current["unit_code"] == unit_code]
pa.item_summary(unit, items=survey.items, questionnaire=survey.questionnaire, language=language)

# %%
pa.cronbach_alpha(unit, items=survey.items)

# %%
scored = pa.respondent_scores(current, survey.questionnaire)
pa.compare_groups(scored, value="OVERALL", group="group_code").tests

# %%
pa.trend(survey.responses, survey.items, by="unit_code").query("unit_code == @unit_code")
