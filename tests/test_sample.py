"""Tests of workspace.sample and workspace.sample_broken: the seeded workspace, its broken copy."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.workspace.config import load_settings
from pmqa_analysis.workspace.sample import make_sample_workspace
from pmqa_analysis.workspace.sample_broken import make_broken_workspace
from pmqa_analysis.workspace.templates import load_template_specs

ROOT = Path(__file__).resolve().parents[1]
SCORES = {"มากที่สุด": 5, "มาก": 4, "ปานกลาง": 3, "น้อย": 2, "น้อยที่สุด": 1}
ID_RE = re.compile(r"(?<!\d)(\d(?:-?\d){12})(?!\d)")


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def valid_national_id(digits: str) -> bool:
    d = [int(c) for c in digits]
    total = sum(x * w for x, w in zip(d[:12], range(13, 1, -1), strict=True))
    return len(d) == 13 and (11 - total % 11) % 10 == d[12]


def problem_keys(table: pd.DataFrame) -> set[tuple[str, int | None, str]]:
    rows = [None if pd.isna(r) else int(r) for r in table["row"]]
    return set(zip(table["file"], rows, table["kind"], strict=True))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_workspace(tmp_path_factory.mktemp("ws") / "sample")


@pytest.fixture(scope="module")
def scored(ws: Path) -> pd.DataFrame:
    """Responses as scores (reverse items flipped) with unit, group, fiscal year."""
    r = read(ws / "responses.csv")
    q = read(ws / "questionnaire.csv")
    out = pd.DataFrame(
        {c: r[h].map(SCORES) for c, h in zip(q["item_code"], q["column_header"], strict=True)}
    )
    for code, rev in zip(q["item_code"], q["reverse"], strict=True):
        if rev == "yes":
            out[code] = 6 - out[code]
    _day, month, year = r["ประทับเวลา"].str.extract(r"^(\d+)/(\d+)/(\d{4}), ").astype(int).T.values
    out["fy"] = year + (month >= 10)
    out["unit"], out["group"] = r["unit_code"], r["group_code"]
    for dim, items in q.groupby("dimension_code")["item_code"]:
        out[f"dim_{dim}"] = out[list(items)].mean(axis=1)
    return out


def test_same_seed_gives_byte_identical_files(ws: Path, tmp_path: Path) -> None:
    again = make_sample_workspace(tmp_path / "again")
    assert hashes(again) == hashes(ws)
    other = make_sample_workspace(tmp_path / "other", seed=7)
    differ = {k for k, v in hashes(other).items() if hashes(ws)[k] != v}
    assert {"responses.csv", "complaints.csv", "service_log.csv", "units.csv"} <= differ


def test_files_and_columns_follow_the_template_specs(ws: Path) -> None:
    specs = load_template_specs()
    assert sorted(p.name for p in ws.iterdir()) == sorted(
        [f"{n}.csv" for n in specs] + ["settings.toml"]
    )
    q = read(ws / "questionnaire.csv")
    for name, spec in specs.items():
        cols = list(read(ws / f"{name}.csv").columns)
        accepted = {h: c.name for c in spec.columns for h in (c.name, *c.header_aliases)}
        if name == "responses":
            items = [c for c in cols if c not in accepted]
            assert items == list(q["column_header"])  # Google Forms headers = column_header
            cols = [c for c in cols if c in accepted]
        assert all(c in accepted for c in cols), (name, cols)
        canonical = [accepted[c] for c in cols]
        assert set(spec.required_columns) <= set(canonical), name
        if name != "responses":  # responses start with the Google Forms timestamp
            assert canonical == [c for c in spec.column_names if c in canonical], name
        for key in spec.key:
            assert key in canonical
    assert list(read(ws / "responses.csv").columns[:2]) == ["ประทับเวลา", "respondent_id"]


def test_values_respect_declared_choices_and_keys(ws: Path) -> None:
    specs = load_template_specs()
    for name, spec in specs.items():
        frame = read(ws / f"{name}.csv")
        for col in spec.columns:
            if col.type == "choice" and col.name in frame:
                allowed = {*col.choices, *col.value_aliases}
                assert set(frame[col.name]) - {""} <= allowed, (name, col.name)
            if col.required and col.name in frame:
                assert (frame[col.name] != "").all(), (name, col.name)
        if name != "responses":
            assert not frame.duplicated(list(spec.key)).any(), name
    assert read(ws / "responses.csv")["respondent_id"].is_unique


def test_questionnaire_and_google_forms_timestamps(ws: Path) -> None:
    q = read(ws / "questionnaire.csv")
    assert len(q) == 20 and q["dimension_code"].nunique() == 5
    assert set(q["scale"]) == {"th5"}
    assert 1 <= (q["reverse"] == "yes").sum() <= 2
    assert (q["column_header"] == q["item_th"]).all()
    stamps = read(ws / "responses.csv")["ประทับเวลา"]
    assert stamps.str.fullmatch(r"\d{1,2}/\d{1,2}/25\d\d, \d{1,2}:\d\d:\d\d").all()


def test_answers_are_labels_with_few_missing(ws: Path, scored: pd.DataFrame) -> None:
    r = read(ws / "responses.csv")
    headers = list(read(ws / "questionnaire.csv")["column_header"])
    values = pd.unique(r[headers].to_numpy().ravel())
    assert set(values) == {*SCORES, "ไม่มีความเห็น", ""}
    missing = r[headers].isin(["ไม่มีความเห็น", ""]).to_numpy().mean()
    assert 0.02 < missing < 0.04
    assert 2000 < len(r) < 8000
    filled = r[["comment_praise", "comment_improve", "comment_dissatisfied"]].ne("").any(axis=1)
    assert 0.25 < filled.mean() < 0.35


def test_fake_personal_data_in_comments(ws: Path) -> None:
    r = read(ws / "responses.csv")
    text = " ".join(r["comment_improve"]) + " " + " ".join(r["comment_dissatisfied"])
    ids = [m.replace("-", "") for m in ID_RE.findall(text)]
    assert any(valid_national_id(i) for i in ids)
    assert re.search(r"08\d-\d{3}-\d{4}", text) and re.search(r"\S+@example\.com", text)
    assert "นายสมชาย ใจดี" in text


def test_seeded_structure(ws: Path, scored: pd.DataFrame) -> None:
    current = scored[scored["fy"] == 2567]
    overall = current.groupby("unit")[[c for c in scored if c.startswith("dim_")]].mean()
    weakest = set(overall.mean(axis=1).nsmallest(3).index)
    assert weakest == {"U04", "U08", "U11"}
    for unit, dim in {"U04": "STAFF", "U08": "PROCESS", "U11": "INFO"}.items():
        strong = overall.drop(index=["U04", "U08", "U11"])[f"dim_{dim}"]
        assert overall.loc[unit, f"dim_{dim}"] < strong.min() - 0.3
    by_dim = scored[[c for c in scored if c.startswith("dim_")]].mean()
    assert by_dim.idxmin() == "dim_FACILITY"
    by_group = scored.groupby("group")[[c for c in scored if c.startswith("dim_")]].mean()
    assert by_group.mean(axis=1).idxmin() == "G2"
    trend = scored.groupby(["unit", "fy"])["dim_QUALITY"].mean().unstack()
    for unit in ("U02", "U06", "U09"):
        assert trend.loc[unit, 2565] < trend.loc[unit, 2566] < trend.loc[unit, 2567]
    assert {2565, 2566, 2567} == set(scored["fy"])


def test_two_units_below_yamane_in_current_year(ws: Path, scored: pd.DataFrame) -> None:
    units = read(ws / "units.csv").set_index("unit_code")["service_population"].astype(int)
    assert units.between(300, 60_000).all() and len(units) == 12
    required = units.map(lambda n: math.ceil(n / (1 + n * 0.05**2)))
    n = scored[scored["fy"] == 2567].groupby("unit").size()
    assert set(n.index[n < required[n.index]]) == {"U05", "U12"}


def test_cs_files(ws: Path) -> None:
    c = read(ws / "complaints.csv")
    assert c["received_date"].str.contains(r"\d+ [ก-๙.]+ 25\d\d$").any()
    assert c["received_date"].str.fullmatch(r"\d{4}-\d\d-\d\d").any()
    assert set(c["status"]) == {"ดำเนินการอยู่", "เสร็จสิ้น"}
    assert (c.loc[c["status"] == "ดำเนินการอยู่", "closed_date"] == "").all()
    assert {"ใช่"} <= set(c["forwarded"]) and {"ใช่"} <= set(c["reopened"])
    iso = c[c["closed_date"].str.fullmatch(r"\d{4}-\d\d-\d\d")]
    days = (pd.to_datetime(iso["closed_date"]) - pd.to_datetime(iso["received_date"])).dt.days
    assert (days >= 0).all()
    weak = iso["unit_code"].isin(["U04", "U08", "U11"])
    assert (days[~weak] <= 15).mean() > 0.8 > (days[weak] <= 15).mean()
    std = read(ws / "service_standards.csv")
    assert std.groupby("unit_code").size().between(3, 5).all()
    log = read(ws / "service_log.csv").merge(std, on=["unit_code", "service_code"])
    over = log["actual_minutes"].astype(float) > log["standard_minutes"].astype(float)
    weak_log = log["unit_code"].isin(["U04", "U08", "U11"])
    assert over[weak_log].mean() > over[~weak_log].mean() + 0.2
    acts = read(ws / "activities.csv")
    assert set(read(ws / "units.csv")["unit_code"]) - set(acts["unit_code"]) == {"U08", "U12"}
    assert acts["participants"].astype(int).gt(0).all()


def test_checklist_uses_the_catalogue_codes(ws: Path) -> None:
    cl = read(ws / "checklist.csv")
    raw = tomllib.loads((ROOT / "pmqa_analysis/data/catalogue_example.toml").read_text("utf-8"))
    pairs = {(a["code"], c["code"]) for a in raw["activities"] for c in a.get("checklist", [])}
    assert set(zip(cl["activity_code"], cl["check_code"], strict=True)) == pairs
    assert set(cl["fiscal_year"]) == {"2567"}
    per_unit = cl.groupby("unit_code")["activity_code"].apply(set)
    assert "CS5" not in per_unit["U11"] and all(
        "CS5" in s for u, s in per_unit.items() if u != "U11"
    )
    not_done = cl["status"].isin(["not_done", "ยังไม่ดำเนินการ"])
    weak = cl["unit_code"].isin(["U04", "U08", "U11"])
    assert not_done[weak].mean() > 2 * not_done[~weak].mean()


def test_settings_file(ws: Path) -> None:
    s = load_settings(ws / "settings.toml")
    assert (s.province, s.fiscal_year, s.round, s.language) == ("จังหวัดตัวอย่าง", 2567, "12m", "th")
    assert (s.band_preset, s.min_cell, s.catalogue_path) == ("half_point", 5, "")


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_other_response_formats(ws: Path, tmp_path: Path, fmt: str) -> None:
    out = make_sample_workspace(
        tmp_path / fmt, n_units=3, reach_sample_size=False, responses_format=fmt
    )
    assert not (out / "responses.csv").exists()
    if fmt == "xlsx":
        frame = pd.read_excel(out / "responses.xlsx", dtype=str, engine="calamine").fillna("")
    else:
        frame = pd.read_parquet(out / "responses.parquet")
    csv = make_sample_workspace(tmp_path / "csv", n_units=3, reach_sample_size=False)
    assert frame.equals(read(csv / "responses.csv"))
    again = make_sample_workspace(
        tmp_path / "again", n_units=3, reach_sample_size=False, responses_format=fmt
    )
    assert hashes(again) == hashes(out)


def test_tiny_workspace_keeps_to_the_range(tmp_path: Path) -> None:
    out = make_sample_workspace(
        tmp_path, n_units=3, respondents_per_unit_year=(5, 6), reach_sample_size=False
    )
    r = read(out / "responses.csv")
    assert r.groupby("unit_code").size().between(15, 18).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"responses_format": "sav"}, r"'sav' not supported; expected csv, xlsx or parquet"),
        ({"n_units": 1}, r"n_units=1.*expected n_units >= 2"),
        ({"respondents_per_unit_year": (9, 3)}, r"1 <= low <= high"),
        ({"fiscal_years": (2024,)}, r"expected BE years"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        make_sample_workspace(tmp_path, **kwargs)


def test_broken_workspace_differs_exactly_at_the_seeded_places(ws: Path, tmp_path: Path) -> None:
    before = hashes(ws)
    expected = make_broken_workspace(ws, tmp_path / "broken")
    assert hashes(ws) == before  # the source is untouched
    assert len(expected) >= 12 and expected["kind"].is_unique
    assert list(expected.columns[:4]) == ["file", "row", "column", "kind"]
    changed_files = set(expected["file"])
    for name, digest in before.items():
        if name not in changed_files:
            assert hashlib.sha256((tmp_path / "broken" / name).read_bytes()).hexdigest() == digest
    for file in sorted(changed_files):
        src, dst = read(ws / file), read(tmp_path / "broken" / file)
        mine = expected[expected["file"] == file]
        dropped = set(mine.loc[mine["row"].isna(), "column"])
        assert set(src.columns) - set(dst.columns) == dropped
        assert list(dst.columns) == [c for c in src.columns if c not in dropped]
        diff = src[dst.columns].ne(dst).to_numpy()
        found = {(int(i) + 2, dst.columns[j]) for i, j in zip(*np.nonzero(diff), strict=True)}
        cells = mine.dropna(subset=["row"])
        assert found == {(int(r), c) for r, c in zip(cells["row"], cells["column"], strict=True)}, (
            file
        )
        for rec in cells.itertuples():
            assert dst.loc[rec.row - 2, rec.column] == rec.value


def test_broken_workspace_refuses_bad_places(ws: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must not be written inside the source"):
        make_broken_workspace(ws, ws / "broken")
    with pytest.raises(InputError, match=r"units.csv.*not found; expected a CSV workspace"):
        make_broken_workspace(tmp_path, tmp_path / "x")


def test_validation_reports_every_seeded_problem(tmp_path: Path) -> None:
    """Closes the loop with the loader once it is importable (skipped before)."""
    workspace = pytest.importorskip("pmqa_analysis.workspace.loader", exc_type=ImportError)
    small = make_sample_workspace(tmp_path / "small", respondents_per_unit_year=(8, 10),
                                  reach_sample_size=False)  # fmt: skip
    expected = make_broken_workspace(small, tmp_path / "broken")
    found = workspace.validate_workspace(tmp_path / "broken", "en")
    errors = found[found["severity"] == "error"]
    got = problem_keys(errors.assign(file=[Path(str(f)).name for f in errors["file"]]))
    want = problem_keys(expected)
    assert want <= got, sorted(want - got)
    assert workspace.validate_workspace(small, "en").query("severity == 'error'").empty
