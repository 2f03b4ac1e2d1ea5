"""CS indicators: channels (CS2), complaints (CS3), service (CS4), activities (CS5), comments.

:mod:`~pmqa_analysis.cs.indicators` computes every catalogue metric per unit.
"""
