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
    "PMQAError": "errors",
    "InputError": "errors",
    "ReadError": "errors",
    "ValidationError": "errors",
    "CatalogueError": "errors",
    # workspace and data
    "Survey": "workspace",
    "load_workspace": "workspace",
    "validate_workspace": "workspace",
    "Settings": "config",
    "load_settings": "config",
    "read_table": "io",
    "make_sample_workspace": "sample",
    "sample_workspace": "sample",
    "load_catalogue": "criteria",
    "list_codes": "criteria",
    "get_code": "criteria",
    "Scale": "scales",
    "load_scales": "scales",
    "get_scale": "scales",
    # Thai conventions and privacy
    "parse_dates": "thai",
    "fiscal_year": "thai",
    "format_thai_date": "thai",
    "mask_pii": "privacy",
    "suppress_small": "privacy",
    # statistics
    "item_summary": "items",
    "dimension_summary": "items",
    "likert_table": "items",
    "prepare_items": "items",
    "PreparedItems": "items",
    "respondent_scores": "scores",
    "band_label": "bands",
    "cronbach_alpha": "reliability",
    "item_analysis": "reliability",
    "compare_groups": "compare",
    "trend": "trend",
    "proportion_ci": "proportions",
    "two_proportion_test": "proportions",
    "sample_size": "sampling",
    "sample_adequacy": "sampling",
    "SurveyDesign": "weighting",
    "weighted_mean": "weighting",
    "weighted_proportion": "weighting",
    "weighted_total": "weighting",
    # CS2-CS5 indicators and comments
    "group_channel_matrix": "channels",
    "channel_indicators": "channels",
    "complaint_indicators": "complaints",
    "complaint_counts": "complaints",
    "service_indicators": "service",
    "service_summary": "service",
    "activity_indicators": "activities",
    "theme_counts": "text",
    "tag_themes": "text",
    "example_comments": "text",
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
    from pmqa_analysis.activities import activity_indicators
    from pmqa_analysis.bands import band_label
    from pmqa_analysis.channels import channel_indicators, group_channel_matrix
    from pmqa_analysis.compare import compare_groups
    from pmqa_analysis.complaints import complaint_counts, complaint_indicators
    from pmqa_analysis.config import Settings, load_settings
    from pmqa_analysis.criteria import get_code, list_codes, load_catalogue
    from pmqa_analysis.errors import (
        CatalogueError,
        InputError,
        PMQAError,
        ReadError,
        ValidationError,
    )
    from pmqa_analysis.io import read_table
    from pmqa_analysis.items import (
        PreparedItems,
        dimension_summary,
        item_summary,
        likert_table,
        prepare_items,
    )
    from pmqa_analysis.privacy import mask_pii, suppress_small
    from pmqa_analysis.proportions import proportion_ci, two_proportion_test
    from pmqa_analysis.reliability import cronbach_alpha, item_analysis
    from pmqa_analysis.sample import make_sample_workspace, sample_workspace
    from pmqa_analysis.sampling import sample_adequacy, sample_size
    from pmqa_analysis.scales import Scale, get_scale, load_scales
    from pmqa_analysis.scores import respondent_scores
    from pmqa_analysis.service import service_indicators, service_summary
    from pmqa_analysis.text import example_comments, tag_themes, theme_counts
    from pmqa_analysis.thai import fiscal_year, format_thai_date, parse_dates
    from pmqa_analysis.trend import trend
    from pmqa_analysis.weighting import (
        SurveyDesign,
        weighted_mean,
        weighted_proportion,
        weighted_total,
    )
    from pmqa_analysis.workspace import Survey, load_workspace, validate_workspace
