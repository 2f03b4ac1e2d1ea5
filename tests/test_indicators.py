"""unit_metrics: every catalogue metric per unit, from a small survey with known answers."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.indicators import METRIC_COLUMNS, registered_groups, unit_metrics
from pmqa_analysis.stats.scales import load_scales
from pmqa_analysis.workspace.config import Settings
from pmqa_analysis.workspace.criteria import KNOWN_METRICS, load_catalogue
from pmqa_analysis.workspace.loader import Survey

EMPTY = {
    "complaints": ["complaint_id", "unit_code", "received_date", "channel_code", "category",
                   "group_code", "status", "closed_date", "forwarded", "reopened", "rating",
                   "description", "fiscal_year", "days_to_close"],
    "service_standards": ["unit_code", "service_code", "service_name_th", "service_name_en",
                          "standard_minutes", "published"],
    "service_log": ["transaction_id", "unit_code", "service_code", "service_date",
                    "actual_minutes", "fiscal_year"],
    "activities": ["activity_id", "unit_code", "activity_date", "activity_name", "group_code",
                   "participants", "fiscal_year"],
    "checklist": ["unit_code", "fiscal_year", "activity_code", "check_code", "status",
                  "evidence_ref", "note"],
    "assignments": ["unit_code", "activity_code", "role", "person", "order_ref"],
    "improvement_plan": ["plan_id", "unit_code", "fiscal_year", "activity_code", "gap",
                         "evidence", "action", "kpi", "target", "baseline", "owner",
                         "due_date", "status", "approver", "approved_date", "progress_note",
                         "note"],
}  # fmt: skip


def make_survey(**frames: Any) -> Survey:
    """A small two-unit survey; keyword frames replace the defaults."""
    units = pd.DataFrame(
        {
            "unit_code": ["U1", "U2"],
            "unit_name_th": ["หนึ่ง", "สอง"],
            "unit_name_en": ["One", "Two"],
            "service_population": [10, 10],
        }
    )
    groups = pd.DataFrame(
        {
            "group_code": ["G1", "G2"],
            "group_name_th": ["ก", "ข"],
            "group_name_en": ["", ""],
            "kind": ["recipient", "stakeholder"],
            "mission": ["m1", ""],
            "unit_code": ["", "U2"],
        }
    )
    channels = pd.DataFrame(
        {
            "channel_code": ["WALKIN", "LINE"],
            "channel_name_th": ["ก", "ข"],
            "channel_name_en": ["", ""],
        }
    )
    q = pd.DataFrame(
        {
            "item_code": ["Q1", "Q2"],
            "dimension_code": ["D", "D"],
            "dimension_th": ["ด้าน", "ด้าน"],
            "dimension_en": ["D", "D"],
            "item_th": ["ข้อ 1", "ข้อ 2"],
            "item_en": ["", ""],
            "scale": "th5",
            "reverse": False,
            "column_header": ["Q1", "Q2"],
            "order": [0, 1],
        }
    )
    # U1 2567: Q1 = 5,5,4,4,2 ; Q2 = 4,4,3,2,1 ; U1 2566: Q1 all 3, Q2 all 5
    # U2 2567: five answers from G1 only
    resp = pd.DataFrame({
        "respondent_id": [f"R{i}" for i in range(15)],
        "unit_code": ["U1"] * 5 + ["U2"] * 5 + ["U1"] * 5,
        "group_code": ["G1"] * 15,
        "channel_code": ["WALKIN", "LINE"] * 7 + ["WALKIN"],
        "fiscal_year": [2567] * 10 + [2566] * 5,
        "comment_praise": [""] * 15, "comment_improve": [""] * 15,
        "comment_dissatisfied": [""] * 15,
        "Q1": [5, 5, 4, 4, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        "Q2": [4, 4, 3, 2, 1, 3, 3, 3, 3, 3, 5, 5, 5, 5, 5],
    }).astype({"Q1": float, "Q2": float})  # fmt: skip
    base: dict[str, Any] = {"units": units, "groups": groups, "channels": channels,
                            "questionnaire": q, "responses": resp}  # fmt: skip
    base.update({k: pd.DataFrame(columns=v) for k, v in EMPTY.items()})
    files = frames.pop("files", {})
    base.update(frames)
    return Survey(
        path=Path("."), settings=Settings(fiscal_year=2567), catalogue=load_catalogue(),
        scales=load_scales(), warnings=pd.DataFrame(), files=files, **base,
    )  # fmt: skip


def value(m: pd.DataFrame, unit: str, metric: str) -> float:
    row = m[(m["unit_code"] == unit) & (m["metric"] == metric)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def base(m: pd.DataFrame, unit: str, metric: str) -> Any:
    return m[(m["unit_code"] == unit) & (m["metric"] == metric)]["n"].iloc[0]


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return unit_metrics(make_survey())


def test_one_row_per_unit_and_metric(metrics: pd.DataFrame) -> None:
    assert list(metrics.columns) == METRIC_COLUMNS
    assert len(metrics) == 2 * len(KNOWN_METRICS)
    assert list(metrics["metric"].iloc[: len(KNOWN_METRICS)]) == list(KNOWN_METRICS)
    assert list(pd.unique(metrics["unit_code"])) == ["U1", "U2"]
    assert str(metrics["n"].dtype) == "Int64"
    assert metrics["source"].notna().all()


def test_satisfaction_figures(metrics: pd.DataFrame) -> None:
    # U1 answers pooled: 5,5,4,4,2,4,4,3,2,1 -> top-2 = 6/10, bottom-2 = 3/10
    assert value(metrics, "U1", "top2_pct") == pytest.approx(60.0)
    assert value(metrics, "U1", "bottom2_pct") == pytest.approx(30.0)
    # mean of respondent means (4.5, 4.5, 3.5, 3, 1.5) = 3.4 -> 68 %
    assert value(metrics, "U1", "mean_pct") == pytest.approx(68.0)
    assert base(metrics, "U1", "top2_pct") == 5
    assert value(metrics, "U2", "top2_pct") == pytest.approx(0.0)


def test_groups_and_missions(metrics: pd.DataFrame) -> None:
    assert value(metrics, "U1", "missions_mapped_pct") == 100.0
    assert value(metrics, "U2", "missions_mapped_pct") == 50.0  # G2 names no mission
    assert base(metrics, "U2", "missions_mapped_pct") == 2
    assert value(metrics, "U1", "groups_with_responses_pct") == 100.0
    assert value(metrics, "U2", "groups_with_responses_pct") == 50.0
    assert value(metrics, "U1", "channels_per_group_min") == 2.0
    assert value(metrics, "U2", "channels_per_group_min") == 0.0  # G2 never heard


def test_missing_data_is_nan_not_zero(metrics: pd.DataFrame) -> None:
    for metric in ("complaints_logged", "complaints_within_standard_pct",
                   "service_within_standard_pct", "activities_count",
                   "plan_items_done_pct"):  # fmt: skip
        assert np.isnan(value(metrics, "U1", metric)), metric
        assert pd.isna(base(metrics, "U1", metric))
    assert np.isnan(value(metrics, "U1", "channel_input_used"))  # no comment at all
    assert base(metrics, "U1", "channel_input_used") == 0


def test_improved_items_from_previous_year(metrics: pd.DataFrame) -> None:
    # U1: Q1 3.0 -> 4.0 rose, Q2 5.0 -> 2.8 fell; U2 has no 2566 answers
    assert value(metrics, "U1", "improved_items_pct") == 50.0
    assert base(metrics, "U1", "improved_items_pct") == 2
    assert np.isnan(value(metrics, "U2", "improved_items_pct"))


def test_sample_reached(metrics: pd.DataFrame) -> None:
    # Yamane n for N = 10 is 10: 5 answers do not reach it
    assert value(metrics, "U1", "sample_reached") == 0.0
    assert base(metrics, "U1", "sample_reached") == 5


def test_small_cells_are_no_data() -> None:
    s = make_survey()
    s = dataclasses.replace(s, settings=Settings(fiscal_year=2567, min_cell=6))
    m = unit_metrics(s)
    assert np.isnan(value(m, "U1", "top2_pct")) and np.isnan(value(m, "U1", "mean_pct"))


def test_complaints_service_activities_and_plan() -> None:
    comp = pd.DataFrame({
        "complaint_id": ["C1", "C2", "C3"], "unit_code": ["U1"] * 3,
        "received_date": pd.to_datetime(["2024-01-01"] * 3), "channel_code": ["LINE"] * 3,
        "category": ["a", "b", ""], "group_code": ["G1"] * 3,
        "status": ["closed", "closed", "open"],
        "closed_date": pd.to_datetime(["2024-01-05", "2024-01-30", None]),
        "forwarded": False, "reopened": False, "rating": np.nan, "description": "",
        "fiscal_year": 2567,
    })  # fmt: skip
    std = pd.DataFrame(
        {
            "unit_code": ["U1", "U1"],
            "service_code": ["S1", "S2"],
            "service_name_th": ["a", "b"],
            "service_name_en": ["", ""],
            "standard_minutes": [30.0, 10.0],
            "published": [True, False],
        }
    )
    log = pd.DataFrame(
        {
            "transaction_id": ["T1", "T2", "T3"],
            "unit_code": ["U1"] * 3,
            "service_code": ["S1"] * 3,
            "actual_minutes": [10.0, 30.0, 45.0],
            "service_date": pd.to_datetime(["2024-01-01"] * 3),
            "fiscal_year": [2567, 2567, 2566],
        }
    )
    acts = pd.DataFrame(
        {
            "activity_id": ["A1", "A2"],
            "unit_code": ["U1", "U1"],
            "activity_date": pd.to_datetime(["2024-01-01"] * 2),
            "activity_name": ["x", "y"],
            "group_code": ["G1", "G1"],
            "participants": [5, 6],
            "fiscal_year": [2567, 2567],
        }
    )
    plan = pd.DataFrame(
        {
            "unit_code": ["U1"] * 4 + ["U2"],
            "fiscal_year": [2567] * 4 + [2566],
            "status": ["approved", "done", "draft", "cancelled", "done"],
        }
    )
    s = make_survey(complaints=comp, service_standards=std, service_log=log, activities=acts)
    before = {k: getattr(s, k).copy() for k in ("complaints", "service_log", "activities")}
    m = unit_metrics(s, previous_plan=plan)
    assert value(m, "U1", "complaints_logged") == 3.0
    assert value(m, "U2", "complaints_logged") == 0.0  # a log was supplied: none logged
    assert value(m, "U1", "complaints_within_standard_pct") == 50.0  # 4 and 29 days
    assert np.isnan(value(m, "U2", "complaints_within_standard_pct"))
    assert value(m, "U1", "complaints_analysed") == 0.0  # 2 of 3 categorised < 90 %
    assert value(m, "U1", "service_within_standard_pct") == 100.0  # 2567 only
    assert value(m, "U1", "services_published_pct") == 50.0
    assert np.isnan(value(m, "U2", "service_within_standard_pct"))
    assert value(m, "U1", "activities_count") == 2.0
    assert value(m, "U1", "activity_groups_covered_pct") == 100.0
    assert value(m, "U2", "activities_count") == 0.0
    assert value(m, "U2", "activity_groups_covered_pct") == 0.0
    assert value(m, "U1", "plan_items_done_pct") == 50.0
    assert np.isnan(value(m, "U2", "plan_items_done_pct"))  # its plan is for 2566
    for k, frame in before.items():
        pd.testing.assert_frame_equal(getattr(s, k), frame)


def test_comment_themes_count_as_channel_input() -> None:
    s = make_survey()
    resp = s.responses.copy()
    resp.loc[0, "comment_improve"] = "ที่จอดรถน้อย"
    resp.loc[5, "comment_improve"] = "ขอบคุณครับ"
    m = unit_metrics(dataclasses.replace(s, responses=resp))
    assert value(m, "U1", "channel_input_used") == 1.0
    assert value(m, "U2", "channel_input_used") in (0.0, 1.0)
    assert base(m, "U1", "channel_input_used") == 1


def test_previous_plan_needs_columns() -> None:
    with pytest.raises(InputError, match="previous_plan has no column status"):
        unit_metrics(make_survey(), previous_plan=pd.DataFrame({"unit_code": ["U1"]}))


def test_registered_groups_blank_unit_applies_to_all() -> None:
    g = pd.DataFrame({"group_code": ["G1", "G2", "G3"], "unit_code": ["", "U2", "U9"]})
    reg = registered_groups(g, ["U1", "U2"])
    assert reg[["unit_code", "group_code"]].values.tolist() == [
        ["U1", "G1"], ["U2", "G1"], ["U2", "G2"]]  # fmt: skip


def test_precomputed_themes_and_adequacy_give_the_same_metrics(workspace: Path) -> None:
    """The report run passes the tables its prepare step already has; same figures."""
    from pmqa_analysis.cs.comments import theme_counts
    from pmqa_analysis.stats.sampling import sample_adequacy
    from pmqa_analysis.workspace.loader import load_workspace

    s = load_workspace(workspace)
    resp = s.responses[s.responses["fiscal_year"] == s.fiscal_year]
    themes = theme_counts(resp)
    assert themes["n_comments"].sum() > 0  # the sample has comments to count
    adequacy = sample_adequacy(
        s.responses, s.units, fiscal_year=s.fiscal_year,
        method=s.settings.sample_size_method, e=s.settings.margin_of_error,  # type: ignore[arg-type]
    )  # fmt: skip
    plain = unit_metrics(s)
    given = unit_metrics(s, themes=themes, adequacy=adequacy)
    pd.testing.assert_frame_equal(plain, given)
    # and the tables are used, not recomputed: an emptied theme table shows
    none = unit_metrics(s, themes=themes.assign(n_comments=0), adequacy=adequacy)
    used = none[none["metric"] == "channel_input_used"]["value"]
    assert (used.dropna() == 0).all() and len(used.dropna())
