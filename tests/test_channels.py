"""Tests for pmqa_analysis.cs.channels (CS2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.cs.channels import channel_indicators, channels_per_group, group_channel_matrix

GROUPS = pd.DataFrame(
    {
        "group_code": ["G1", "G2", "G3"],
        "group_name_th": ["ประชาชน", "ผู้ประกอบการ", "อสม."],
        "unit_code": ["", "", "U2"],
    }
)
CHANNELS = pd.DataFrame({"channel_code": ["WALKIN", "PHONE", "LINE", "WEB"]})


def _responses(n: int = 300, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "unit_code": rng.choice(["U1", "U2", "U3"], n),
            "fiscal_year": rng.choice([2566, 2567], n),
            "group_code": rng.choice(["G1", "G2"], n),
            "channel_code": rng.choice(["WALKIN", "PHONE", "LINE"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def _complaints() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_code": ["U1", "U2", "U2"],
            "fiscal_year": [2567, 2567, 2567],
            "group_code": ["G1", None, "G3"],
            "channel_code": ["WEB", "WEB", "PHONE"],
        }
    )


def test_matrix_counts_and_zero_cells() -> None:
    r = _responses()
    c = _complaints()
    m = group_channel_matrix(r, c, groups=GROUPS, channels=CHANNELS)
    survey = m[m["source"] == "survey"]
    expected = r.groupby(["unit_code", "group_code", "channel_code"]).size()
    got = survey.set_index(["unit_code", "group_code", "channel_code"])["n"]
    assert got[got > 0].to_dict() == expected.to_dict()
    # U2 has its own group G3; U1 and U3 do not
    assert set(m.loc[m.unit_code == "U2", "group_code"]) == {"G1", "G2", "G3", ""}
    assert set(m.loc[m.unit_code == "U1", "group_code"]) == {"G1", "G2"}
    # every registered group x channel x source present for U1
    u1 = m[m.unit_code == "U1"]
    assert len(u1) == 2 * 4 * 2
    assert m["n"].sum() == len(r) + len(c)
    # the complaint without a group is kept, under ""
    blank = m[(m.group_code == "") & (m.n > 0)]
    assert blank[["unit_code", "channel_code", "source"]].values.tolist() == [
        ["U2", "WEB", "complaint"]
    ]


def test_all_units_equal_one_at_a_time() -> None:
    r = _responses()
    c = _complaints()
    before = (r.copy(), c.copy())
    by = ["unit_code", "fiscal_year"]
    for func in (group_channel_matrix, channels_per_group, channel_indicators):
        whole = func(r, c, by=by, groups=GROUPS, channels=CHANNELS)
        parts = pd.concat(
            [
                func(
                    r[r.unit_code == u],
                    c[c.unit_code == u],
                    by=by,
                    groups=GROUPS,
                    channels=CHANNELS,
                )
                for u in ["U1", "U2", "U3"]
            ],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(whole, parts)
    pd.testing.assert_frame_equal(r, before[0])
    pd.testing.assert_frame_equal(c, before[1])


def test_channels_per_group_and_min() -> None:
    r = pd.DataFrame(
        {
            "unit_code": ["U1", "U1", "U1", "U2"],
            "group_code": ["G1", "G1", "G2", "G1"],
            "channel_code": ["WALKIN", "LINE", "WALKIN", "WALKIN"],
        }
    )
    per = channels_per_group(r, groups=GROUPS)
    assert per.set_index(["unit_code", "group_code"])["n_channels"].to_dict() == {
        ("U1", "G1"): 2,
        ("U1", "G2"): 1,
        ("U2", "G1"): 1,
        ("U2", "G2"): 0,
        ("U2", "G3"): 0,
    }
    ind = channel_indicators(r, groups=GROUPS).set_index("unit_code")
    assert ind.loc["U1", "channels_per_group_min"] == 1
    assert ind.loc["U2", "channels_per_group_min"] == 0
    assert ind.loc["U2", "n_groups"] == 3
    assert ind.loc["U1", "n_channels_used"] == 2
    # without a register only the groups seen count
    assert channel_indicators(r).set_index("unit_code").loc["U2", "channels_per_group_min"] == 1


def test_missing_column_message() -> None:
    with pytest.raises(InputError, match=r"\['channel_code'\] not found"):
        group_channel_matrix(pd.DataFrame({"unit_code": ["U1"], "group_code": ["G1"]}))
