"""Benchmark: the statistics engine vs pingouin + pandas looped per unit, and the floor.

Run ``.venv/bin/python benchmarks/bench_stats.py [--rows 1000000] [--items 20]
[--units 100]``. Generates seeded five-point data (~3 % missing), then times:

(a) ours, the documented way for several figures over the same data: one
    ``prepare_items(df, items, by="unit", questionnaire=q)`` (convert the answers to
    level codes and factorise the units once), passed to item_summary +
    dimension_summary (4 dimensions) + cronbach_alpha + item_analysis, all units at
    once — the prepare step is timed and counted in the total;
(a') for reference, the same four calls each given the data frame (each converts
    the frame again; not a target);
(b) the peer: per unit, pandas mean/std/count/value_counts per item, pingouin's
    cronbach_alpha, and alpha if deleted via pingouin on the k item subsets (timed on
    a subset of units and scaled linearly when the full loop would exceed 120 s);
(c) the floor: ``df.groupby("unit")[items].agg(["mean", "std", "count"])``.

Prints seconds, ratios and peak memory with PASS/FAIL per target; always exits 0.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmqa_analysis.stats.dimensions import dimension_summary
from pmqa_analysis.stats.item_summary import item_summary
from pmqa_analysis.stats.items import prepare_items
from pmqa_analysis.stats.reliability import cronbach_alpha, item_analysis

PEER_BUDGET_S = 120.0
TARGET_VS_PEER = 20.0
TARGET_VS_FLOOR = 5.0
TARGET_MEMORY_GIB = 2.0


def make_data(rows: int, items: int, units: int, seed: int = 2567) -> pd.DataFrame:
    """Seeded five-point answers driven by a respondent trait, ~3 % missing."""
    rng = np.random.default_rng(seed)
    unit_effect = rng.normal(0.0, 0.3, units)
    unit = rng.integers(0, units, rows)
    trait = rng.normal(0.0, 0.8, rows) + unit_effect[unit]
    columns: dict[str, np.ndarray | pd.Categorical] = {
        "unit": np.array([f"U{u:03d}" for u in range(units)], dtype=object)[unit]
    }
    for j in range(items):
        raw = 3.4 + trait + rng.normal(0.0, 0.9, rows) + (j % 5 - 2) * 0.1
        x = np.clip(np.rint(raw), 1, 5)
        x[rng.random(rows) < 0.03] = np.nan
        columns[f"Q{j + 1:02d}"] = x
    return pd.DataFrame(columns)


def peak_gib() -> float:
    """Peak resident memory of this process so far (GiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024**2


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def run_ours(df: pd.DataFrame, items: list[str], q: pd.DataFrame) -> dict[str, float]:
    """The four figures for every unit through one prepared object (prepare timed)."""
    times = {}
    times["prepare_items(by=unit), once"], prep = timed(
        prepare_items, df, items, by="unit", questionnaire=q
    )
    times["item_summary(prep)"], _ = timed(item_summary, prep, questionnaire=q)
    times["dimension_summary(prep)"], _ = timed(dimension_summary, prep, q)
    times["cronbach_alpha(prep)"], _ = timed(cronbach_alpha, prep)
    times["item_analysis(prep)"], _ = timed(item_analysis, prep)
    return times


def run_frames(df: pd.DataFrame, items: list[str], q: pd.DataFrame) -> dict[str, float]:
    """The same four calls each given the frame (each converts it again)."""
    times = {}
    times["item_summary(df)"], _ = timed(item_summary, df, by="unit", questionnaire=q)
    times["dimension_summary(df)"], _ = timed(dimension_summary, df, q, by="unit")
    times["cronbach_alpha(df, by=unit)"], _ = timed(cronbach_alpha, df, items, by="unit")
    times["item_analysis(df, by=unit)"], _ = timed(item_analysis, df, items, by="unit")
    return times


def peer_one_unit(part: pd.DataFrame, items: list[str]) -> None:
    import pingouin as pg

    block = part[items]
    for c in items:
        col = block[c]
        col.mean(), col.std(), col.count(), col.value_counts()
    pg.cronbach_alpha(block)
    for c in items:
        pg.cronbach_alpha(block.drop(columns=c))


def run_peer(df: pd.DataFrame, items: list[str]) -> tuple[float, int, int]:
    """Seconds for all units (scaled from a subset if needed), units timed, units."""
    import pingouin  # noqa: F401  (import cost not counted)

    groups = list(df.groupby("unit", observed=True))
    start = time.perf_counter()
    done = 0
    for _, part in groups:
        peer_one_unit(part, items)
        done += 1
        elapsed = time.perf_counter() - start
        if done >= 3 and elapsed / done * len(groups) > PEER_BUDGET_S:
            break
    elapsed = time.perf_counter() - start
    return elapsed / done * len(groups), done, len(groups)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--units", type=int, default=100)
    args = ap.parse_args(argv)

    t_gen, df = timed(make_data, args.rows, args.items, args.units)
    items = [c for c in df.columns if c != "unit"]
    n_dims = 4
    q = pd.DataFrame(
        {
            "item_code": items,
            "dimension_code": [f"D{j * n_dims // len(items) + 1}" for j in range(len(items))],
        }
    )
    print(
        f"data: {args.rows:,} responses x {args.items} items x {args.units} units "
        f"(generated in {t_gen:.1f} s)"
    )

    t_floor, _ = timed(
        lambda: df.groupby("unit", observed=True)[items].agg(["mean", "std", "count"])
    )
    ours = run_ours(df, items, q)
    t_ours = sum(ours.values())
    frames = run_frames(df, items, q)
    t_frames = sum(frames.values())
    mem = peak_gib()
    t_peer, done, total = run_peer(df, items)

    rows = [(name, sec) for name, sec in ours.items()]
    rows += [("(a) ours, total (prepare included)", t_ours)]
    rows += [(name, sec) for name, sec in frames.items()]
    rows += [("(a') frame per call, total (reference)", t_frames)]
    rows += [("(b) peer: pingouin + pandas per unit", t_peer)]
    rows += [("(c) floor: groupby agg mean/std/count", t_floor)]
    print(
        "\n(a) = the documented API for several figures: prepare_items() once, the "
        "object passed to the four functions"
    )
    print(f"\n{'step':<42}{'seconds':>10}{'vs peer':>10}{'vs floor':>10}")
    for name, sec in rows:
        print(f"{name:<42}{sec:>10.3f}{t_peer / sec:>9.1f}x{sec / t_floor:>9.2f}x")
    if done < total:
        print(
            f"\npeer timed on {done} of {total} units and scaled linearly "
            f"(the full loop would exceed {PEER_BUDGET_S:.0f} s)"
        )
    speedup, vs_floor = t_peer / t_ours, t_ours / t_floor
    print(f"\npeak memory (max RSS, data included): {mem:.2f} GiB")
    checks = [
        (
            f"ours (prepared, prepare included) >= {TARGET_VS_PEER:.0f}x faster than peer",
            speedup >= TARGET_VS_PEER,
            f"{speedup:.1f}x",
        ),
        (
            f"ours <= {TARGET_VS_FLOOR:.0f}x the floor",
            vs_floor <= TARGET_VS_FLOOR,
            f"{vs_floor:.2f}x",
        ),
        (f"peak memory < {TARGET_MEMORY_GIB:.0f} GiB", mem < TARGET_MEMORY_GIB, f"{mem:.2f} GiB"),
    ]
    for label, ok, value in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
