"""Assessment: the scorecard against the catalogue, the committee summary, the improvement plan."""
