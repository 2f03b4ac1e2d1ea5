"""Statistics: pure functions on frames (items, reliability, weighting, proportions, ...).

No workspace knowledge: inputs are pandas objects and plain values.  Imports only
:mod:`pmqa_analysis.core`.
"""
