"""Charts for the per-unit report, in Thai (Sarabun) or English.

Importing this package registers the Thai font Sarabun with matplotlib and makes it
the default family (:func:`use_thai_font`), so Thai labels render with no set-up.
Every chart function takes a tidy frame with documented column names and returns a
:class:`matplotlib.figure.Figure` built without pyplot (nothing is kept in pyplot's
figure registry, so batch runs do not leak memory). Charts are 7 inches wide (A4
text width), have a title, axis labels and a small source/n note at the bottom left,
use colours that differ in lightness plus hatching so they read in black and white,
and take ``language="th"`` (default) or ``"en"``.

A finished chart's axes draw their ticks as plain artists (laid out and drawn once, the
same pixels; see :mod:`pmqa_analysis.report.plots._ticks`): read the labels with
:func:`tick_labels`, and call :func:`thaw_ticks` before changing a chart's limits to
get matplotlib's live ticks back.

Examples
--------
>>> import pandas as pd
>>> from pmqa_analysis.report import plots
>>> t = pd.DataFrame({"fiscal_year": [2566, 2567], "mean": [4.1, 4.3], "n": [120, 131]})
>>> fig = plots.trend_chart(t, title="ค่าเฉลี่ยความพึงพอใจ")
>>> plots.figure_to_png_bytes(fig, dpi=30)[:4]
b'\\x89PNG'
"""

from pmqa_analysis.report.plots._ticks import axis_title, thaw_ticks, tick_labels
from pmqa_analysis.report.plots.counts import days_to_close_chart, heatmap, pareto_chart
from pmqa_analysis.report.plots.export import (
    figure_to_data_uri,
    figure_to_png_bytes,
    figure_to_svg,
)
from pmqa_analysis.report.plots.fonts import (
    THAI_FONT_NAME,
    chart_rc,
    thai_font_files,
    use_thai_font,
)
from pmqa_analysis.report.plots.likert import likert_bars, likert_colors
from pmqa_analysis.report.plots.means import be_year, mean_ci_chart, trend_chart
from pmqa_analysis.report.plots.scorecard import STATUS_STYLE, scorecard_grid

__all__ = [
    "STATUS_STYLE",
    "THAI_FONT_NAME",
    "axis_title",
    "be_year",
    "chart_rc",
    "days_to_close_chart",
    "figure_to_data_uri",
    "figure_to_png_bytes",
    "figure_to_svg",
    "heatmap",
    "likert_bars",
    "likert_colors",
    "mean_ci_chart",
    "pareto_chart",
    "scorecard_grid",
    "thai_font_files",
    "thaw_ticks",
    "tick_labels",
    "trend_chart",
    "use_thai_font",
]

use_thai_font()
