"""pmqa-analysis: PMQA category-3 survey analysis for Thai provincial offices."""

__version__ = "0.1.0"
