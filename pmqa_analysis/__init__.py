"""pmqa-analysis: PMQA category-3 survey analysis for Thai provincial offices.

The public API is re-exported here and imported lazily (PEP 562), so that
``import pmqa_analysis`` stays cheap in every notebook kernel: a unit report
that only reads prepared results never pays for SciPy, pandera or PyThaiNLP.

>>> import pmqa_analysis as pa
>>> pa.sample_size(1000, method="krejcie_morgan")
278
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "PMQAError": "core.errors",
    "InputError": "core.errors",
    "ReadError": "core.errors",
    "ValidationError": "core.errors",
    "CatalogueError": "core.errors",
    # workspace and data
    "Survey": "workspace.loader",
    "load_workspace": "workspace.loader",
    "validate_workspace": "workspace.loader",
    "Settings": "workspace.config",
    "load_settings": "workspace.config",
    "read_table": "workspace.io",
    "make_sample_workspace": "workspace.sample",
    "from_traffy": "workspace.traffy",
    "is_traffy": "workspace.traffy",
    "TRAFFY_STATES": "workspace.traffy",
    "sample_workspace": "workspace.sample",
    "load_catalogue": "workspace.criteria",
    "list_codes": "workspace.criteria",
    "get_code": "workspace.criteria",
    "Scale": "stats.scales",
    "load_scales": "stats.scales",
    "get_scale": "stats.scales",
    # Thai conventions and privacy
    "parse_dates": "core.thai_dates",
    "fiscal_year": "core.thai_calendar",
    "format_thai_date": "core.thai_calendar",
    "mask_pii": "workspace.privacy",
    "suppress_small": "workspace.privacy",
    # statistics
    "item_summary": "stats.item_summary",
    "dimension_summary": "stats.dimensions",
    "likert_table": "stats.item_summary",
    "prepare_items": "stats.items",
    "PreparedItems": "stats.items",
    "respondent_scores": "stats.scores",
    "band_label": "stats.bands",
    "cronbach_alpha": "stats.reliability",
    "item_analysis": "stats.reliability",
    "compare_groups": "stats.compare",
    "trend": "stats.trend",
    "proportion_ci": "stats.proportions",
    "two_proportion_test": "stats.proportions",
    "sample_size": "stats.sampling",
    "sample_adequacy": "stats.sampling",
    "SurveyDesign": "stats.weighting",
    "weighted_mean": "stats.weighting",
    "weighted_proportion": "stats.weighting",
    "weighted_total": "stats.weighting",
    # CS2-CS5 indicators and comments
    "group_channel_matrix": "cs.channels",
    "channel_indicators": "cs.channels",
    "complaint_indicators": "cs.complaints",
    "complaint_counts": "cs.complaints",
    "complaint_states": "cs.complaints",
    "service_indicators": "cs.service",
    "service_summary": "cs.service",
    "activity_indicators": "cs.activities",
    "theme_counts": "cs.comments",
    "tag_themes": "cs.comments",
    "example_comments": "cs.comments",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pmqa_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pmqa_analysis.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from pmqa_analysis.core.errors import (
        CatalogueError,
        InputError,
        PMQAError,
        ReadError,
        ValidationError,
    )
    from pmqa_analysis.core.thai_calendar import fiscal_year, format_thai_date
    from pmqa_analysis.core.thai_dates import parse_dates
    from pmqa_analysis.cs.activities import activity_indicators
    from pmqa_analysis.cs.channels import channel_indicators, group_channel_matrix
    from pmqa_analysis.cs.comments import example_comments, tag_themes, theme_counts
    from pmqa_analysis.cs.complaints import (
        complaint_counts,
        complaint_indicators,
        complaint_states,
    )
    from pmqa_analysis.cs.service import service_indicators, service_summary
    from pmqa_analysis.stats.bands import band_label
    from pmqa_analysis.stats.compare import compare_groups
    from pmqa_analysis.stats.dimensions import dimension_summary
    from pmqa_analysis.stats.item_summary import item_summary, likert_table
    from pmqa_analysis.stats.items import PreparedItems, prepare_items
    from pmqa_analysis.stats.proportions import proportion_ci, two_proportion_test
    from pmqa_analysis.stats.reliability import cronbach_alpha, item_analysis
    from pmqa_analysis.stats.sampling import sample_adequacy, sample_size
    from pmqa_analysis.stats.scales import Scale, get_scale, load_scales
    from pmqa_analysis.stats.scores import respondent_scores
    from pmqa_analysis.stats.trend import trend
    from pmqa_analysis.stats.weighting import (
        SurveyDesign,
        weighted_mean,
        weighted_proportion,
        weighted_total,
    )
    from pmqa_analysis.workspace.config import Settings, load_settings
    from pmqa_analysis.workspace.criteria import get_code, list_codes, load_catalogue
    from pmqa_analysis.workspace.io import read_table
    from pmqa_analysis.workspace.loader import Survey, load_workspace, validate_workspace
    from pmqa_analysis.workspace.privacy import mask_pii, suppress_small
    from pmqa_analysis.workspace.sample import make_sample_workspace, sample_workspace
    from pmqa_analysis.workspace.traffy import TRAFFY_STATES, from_traffy, is_traffy
