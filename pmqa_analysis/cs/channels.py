"""CS2 listening channels: the group × channel matrix and channels per group.

Survey responses and complaints both say which channel a group used; the matrix
counts them per unit (or any ``by`` columns) with zero cells for every registered
group × channel, so a group nobody reached shows up as a gap.

Examples
--------
>>> r = pd.DataFrame({"unit_code": ["U1", "U1", "U2"], "group_code": ["G1", "G1", "G2"],
...                   "channel_code": ["WALKIN", "LINE", "WALKIN"]})
>>> channel_indicators(r)[["unit_code", "n_groups", "channels_per_group_min"]]
  unit_code  n_groups  channels_per_group_min
0        U1         1                       2
1        U2         1                       1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pmqa_analysis.core.frames import by_columns, require_columns

__all__ = [
    "channel_indicators",
    "channels_per_group",
    "clean_codes",
    "group_channel_matrix",
    "registered_groups",
]

_NOT_RECORDED = ""


def clean_codes(values: pd.Series) -> pd.Series:
    """Codes as strings, missing -> "" (not recorded); cleaned once per distinct code.

    Shared by the CS2 and CS5 indicators (group and channel codes).

    Examples
    --------
    >>> list(clean_codes(pd.Series([" G1", None, "G1"])))
    ['G1', '', 'G1']
    """
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    clean = pd.Series(uniq, dtype="string").str.strip().fillna(_NOT_RECORDED)
    table = np.append(clean.to_numpy(dtype=object), _NOT_RECORDED)
    return pd.Series(table[codes], index=values.index, name=values.name, dtype=object)


def registered_groups(keys: pd.DataFrame, groups: pd.DataFrame, by_cols: list[str]) -> pd.DataFrame:
    """Registered groups per key: rows of ``groups`` whose unit_code is blank or the key's.

    When ``unit_code`` is not one of ``by_cols`` every registered group applies.
    """
    require_columns(groups, ["group_code"], "groups table")
    reg = pd.DataFrame({"group_code": clean_codes(groups["group_code"])})
    unit = clean_codes(groups["unit_code"]) if "unit_code" in groups.columns else ""
    reg["unit_code"] = unit
    reg = reg[reg["group_code"] != _NOT_RECORDED]
    keys = keys.drop_duplicates()
    common = reg.loc[reg["unit_code"] == _NOT_RECORDED, ["group_code"]].drop_duplicates()
    if "unit_code" not in by_cols:
        return keys.merge(reg[["group_code"]].drop_duplicates(), how="cross")
    parts = [keys.merge(common, how="cross")]
    specific = reg.loc[reg["unit_code"] != _NOT_RECORDED, ["unit_code", "group_code"]]
    parts.append(keys.merge(specific, on="unit_code"))
    out = pd.concat(parts, ignore_index=True)
    return out[[*by_cols, "group_code"]].drop_duplicates(ignore_index=True)


def group_channel_matrix(
    responses: pd.DataFrame,
    complaints: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = "unit_code",
    groups: pd.DataFrame | None = None,
    channels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count responses (and complaints) per group × channel, zero cells included.

    Parameters
    ----------
    responses : pandas.DataFrame
        ``Survey.responses`` (needs ``by`` columns, ``group_code``, ``channel_code``).
    complaints : pandas.DataFrame, optional
        ``Survey.complaints``; counted as a second source. A missing ``group_code``
        column or cell counts under ``""`` (not recorded).
    by : str or list of str, default "unit_code"
        Grouping column(s), e.g. ``["unit_code", "fiscal_year"]``.
    groups : pandas.DataFrame, optional
        ``Survey.groups``: every registered group (``unit_code`` blank = all units, else
        that unit only) gets a row for every channel, with ``n = 0`` when unused. Without
        it, the groups seen in each ``by`` group's data are used.
    channels : pandas.DataFrame, optional
        ``Survey.channels``: every registered channel gets a row. Without it, the
        channels seen in each ``by`` group's data are used.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``group_code``, ``channel_code``, ``source`` (``"survey"`` or
        ``"complaint"``), ``n`` (int64), sorted. Observed codes that are not registered
        are kept (never dropped); ``""`` means not recorded.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["U1", "U1"], "group_code": ["G1", "G1"],
    ...                   "channel_code": ["WALKIN", "WALKIN"]})
    >>> g = pd.DataFrame({"group_code": ["G1", "G2"], "unit_code": ["", "U1"]})
    >>> ch = pd.DataFrame({"channel_code": ["WALKIN", "LINE"]})
    >>> group_channel_matrix(r, groups=g, channels=ch)
      unit_code group_code channel_code  source  n
    0        U1         G1         LINE  survey  0
    1        U1         G1       WALKIN  survey  2
    2        U1         G2         LINE  survey  0
    3        U1         G2       WALKIN  survey  0
    """
    by_cols = by_columns(by)
    keys_cols = ["group_code", "channel_code"]
    require_columns(responses, [*by_cols, *keys_cols], "group_channel_matrix (responses)")
    sources = [("survey", responses)]
    if complaints is not None:
        require_columns(complaints, [*by_cols, "channel_code"], "group_channel_matrix (complaints)")
        sources.append(("complaint", complaints))
    parts = []
    for name, frame in sources:
        part = frame[by_cols].copy()
        for col in keys_cols:
            part[col] = clean_codes(frame[col]) if col in frame.columns else _NOT_RECORDED
        part["source"] = name
        parts.append(part)
    obs = pd.concat(parts, ignore_index=True)
    cols = [*by_cols, "group_code", "channel_code", "source"]
    counts = obs.groupby(cols, sort=False, dropna=False).size().rename("n").reset_index()

    keys = obs[by_cols].drop_duplicates(ignore_index=True)
    if groups is not None:
        group_grid = registered_groups(keys, groups, by_cols)
    else:
        seen = obs.loc[obs["group_code"] != _NOT_RECORDED, [*by_cols, "group_code"]]
        group_grid = seen.drop_duplicates(ignore_index=True)
    if channels is not None:
        require_columns(channels, ["channel_code"], "channels table")
        codes = clean_codes(channels["channel_code"])
        chan = pd.DataFrame({"channel_code": codes[codes != _NOT_RECORDED].unique()})
        chan_grid = keys.merge(chan, how="cross")
    else:
        seen = obs.loc[obs["channel_code"] != _NOT_RECORDED, [*by_cols, "channel_code"]]
        chan_grid = seen.drop_duplicates(ignore_index=True)
    grid = group_grid.merge(chan_grid, on=by_cols)
    grid = grid.merge(pd.DataFrame({"source": [s for s, _ in sources]}), how="cross")
    out = grid.merge(counts, on=cols, how="outer")
    out["n"] = out["n"].fillna(0).astype("int64")
    out = out.sort_values(cols, kind="stable", ignore_index=True)
    return out[[*cols, "n"]]


def channels_per_group(
    responses: pd.DataFrame,
    complaints: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = "unit_code",
    groups: pd.DataFrame | None = None,
    channels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Number of distinct channels each group was heard through.

    Parameters are those of :func:`group_channel_matrix`.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``group_code``, ``n`` (responses + complaints), ``n_channels``
        (distinct recorded channels with ``n > 0``, both sources together). Registered
        groups never heard have ``n_channels = 0``. Rows without a recorded group are
        left out (they belong to no group).

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["U1"] * 3, "group_code": ["G1", "G1", "G2"],
    ...                   "channel_code": ["WALKIN", "LINE", "WALKIN"]})
    >>> channels_per_group(r)
      unit_code group_code  n  n_channels
    0        U1         G1  2           2
    1        U1         G2  1           1
    """
    by_cols = by_columns(by)
    m = group_channel_matrix(responses, complaints, by=by_cols, groups=groups, channels=channels)
    return _per_group(m, by_cols)


def _per_group(matrix: pd.DataFrame, by_cols: list[str]) -> pd.DataFrame:
    m = matrix[matrix["group_code"] != _NOT_RECORDED]
    cells = m.groupby([*by_cols, "group_code", "channel_code"], sort=True)["n"].sum()
    per = cells.reset_index()
    per["_used"] = (per["n"] > 0) & (per["channel_code"] != _NOT_RECORDED)
    g = per.groupby([*by_cols, "group_code"], sort=True)
    out = pd.DataFrame({"n": g["n"].sum(), "n_channels": g["_used"].sum()}).reset_index()
    out["n"] = out["n"].astype("int64")
    out["n_channels"] = out["n_channels"].astype("int64")
    return out


def channel_indicators(
    responses: pd.DataFrame,
    complaints: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = "unit_code",
    groups: pd.DataFrame | None = None,
    channels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """CS2A indicators per unit: the fewest channels any group was heard through.

    Parameters are those of :func:`group_channel_matrix`.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n_groups``, ``channels_per_group_min`` (the CS2A indicator:
        minimum over groups of :func:`channels_per_group`'s ``n_channels``; 0 when a
        registered group was never heard), ``channels_per_group_mean`` and
        ``n_channels_used`` (distinct channels used by any group).

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["U1"] * 2, "group_code": ["G1", "G1"],
    ...                   "channel_code": ["WALKIN", "LINE"]})
    >>> g = pd.DataFrame({"group_code": ["G1", "G2"]})
    >>> channel_indicators(r, groups=g)[["unit_code", "n_groups", "channels_per_group_min"]]
      unit_code  n_groups  channels_per_group_min
    0        U1         2                       0
    """
    by_cols = by_columns(by)
    m = group_channel_matrix(responses, complaints, by=by_cols, groups=groups, channels=channels)
    m = m[m["group_code"] != _NOT_RECORDED]
    per = _per_group(m, by_cols)
    g = per.groupby(by_cols, sort=True)["n_channels"]
    out = pd.DataFrame(
        {
            "n_groups": g.size(),
            "channels_per_group_min": g.min(),
            "channels_per_group_mean": g.mean().astype("float64"),
        }
    )
    used = m[(m["n"] > 0) & (m["channel_code"] != _NOT_RECORDED)]
    n_used = used.groupby(by_cols, sort=True)["channel_code"].nunique()
    out["n_channels_used"] = n_used.reindex(out.index).fillna(0).astype("int64")
    out["n_groups"] = out["n_groups"].astype("int64")
    out["channels_per_group_min"] = out["channels_per_group_min"].astype("int64")
    return out.reset_index()
