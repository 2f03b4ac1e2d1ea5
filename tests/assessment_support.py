"""Small frames shared by the assessment and plan tests (metrics, checklist rows)."""

from __future__ import annotations

import pandas as pd

from pmqa_analysis.workspace.criteria import load_catalogue

CAT = load_catalogue()
FY = 2567
#: CS6 indicator values that all meet their targets
CS6_OK = {"top2_pct": 85.0, "mean_pct": 84.0, "bottom2_pct": 4.0, "sample_reached": 1.0,
          "groups_with_responses_pct": 100.0}  # fmt: skip


def metrics(values: dict[str, dict[str, float]], n: int = 100) -> pd.DataFrame:
    """A metrics table: {unit: {metric: value}}, every value based on ``n`` respondents."""
    rows = [(u, m, v, n) for u, per in values.items() for m, v in per.items()]
    return pd.DataFrame(rows, columns=["unit_code", "metric", "value", "n"])


def checklist(
    rows: dict[tuple[str, str], list[str]], fy: int = FY, *, ref_by_code: bool = True
) -> pd.DataFrame:
    """{(unit, activity): [status of item 1, item 2, ...]} → checklist rows.

    The evidence reference is ``ref <check code>`` (or ``ref <position>``).
    """
    out = []
    for (unit, act), statuses in rows.items():
        items = [c.code for c in CAT.get_code(act).checklist]  # type: ignore[union-attr]
        for i, s in enumerate(statuses):
            ref = f"ref {items[i]}" if ref_by_code else f"ref {i}"
            out.append((unit, fy, act, items[i], s, ref, ""))
    cols = ["unit_code", "fiscal_year", "activity_code", "check_code", "status",
            "evidence_ref", "note"]  # fmt: skip
    return pd.DataFrame(out, columns=cols)
