"""Shared fixtures: the reference data folder (../shared/refdata or $PMQA_REFDATA), a small
sample workspace per test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests: `make test` (CI) uses the fixed, derandomised "ci" profile, so a green run
# means the same thing every time; `make fuzz` explores with fresh random examples.
settings.register_profile(
    "ci", derandomize=True, print_blob=True, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
settings.register_profile("fuzz", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("PMQA_HYPOTHESIS_PROFILE", "ci"))


def refdata_dir() -> Path:
    """Where the published reference data sets live."""
    env = os.environ.get("PMQA_REFDATA")
    return Path(env) if env else ROOT.parent / "shared" / "refdata"


@pytest.fixture(scope="session")
def refdata() -> Path:
    """The refdata folder; skips the test with a reason when it is absent."""
    path = refdata_dir()
    if not path.is_dir():
        pytest.skip(
            f"reference data not found at {path}: set PMQA_REFDATA or place shared/refdata "
            "beside the project to run the tests pinned to published figures"
        )
    return path


def refdata_file(refdata: Path, relative: str) -> Path:
    """One file of the refdata folder; skips with a reason when it is missing."""
    path = refdata / relative
    if not path.exists():
        pytest.skip(f"reference file {relative} not found under {refdata}")
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-unit sample workspace (samples below the required size), one per test module."""
    from pmqa_analysis.workspace.sample import make_sample_workspace

    return make_sample_workspace(
        tmp_path_factory.mktemp("ws") / "ws", n_units=3, reach_sample_size=False
    )
