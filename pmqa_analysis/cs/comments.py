"""Thai open comments: tokenise, tag with the theme lexicon, count and quote per unit.

The lexicon (:func:`pmqa_analysis.cs.themes.load_themes`, ``data/themes.toml``) maps Thai
keywords to themes, each carrying a questionnaire dimension and the PMQA code it is
evidence for. Tokenising uses PyThaiNLP's ``newmm`` engine and its bundled stop-word
list; neither needs a download. Every function that returns comment text passes it
through :func:`pmqa_analysis.workspace.privacy.mask_pii` first.

Examples
--------
>>> s = pd.Series(["เจ้าหน้าที่พูดจาสุภาพ แต่รอนานมาก"])
>>> sorted(tag_themes(s)["theme_code"])
['staff-polite', 'waiting']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.frames import by_columns
from pmqa_analysis.cs.themes import DROP_CHARS, load_themes, normalise

__all__ = [
    "COMMENT_COLUMNS",
    "NON_COMMENTS",
    "example_comments",
    "tag_themes",
    "theme_counts",
    "tokenize",
    "top_words",
]

#: The three open-comment columns of ``Survey.responses``.
COMMENT_COLUMNS = ("comment_praise", "comment_improve", "comment_dissatisfied")
#: Answers that mean "no comment" and are not counted as comments.
NON_COMMENTS = frozenset(
    {"", "-", "--", ".", "ไม่มี", "ไม่มีความเห็น", "ไม่มีข้อเสนอแนะ", "ไม่มีข้อคิดเห็น", "ไม่ระบุ"}
    | {"no", "none", "n/a", "na", "nil"}
)
#: Words kept in the matching stream although they are stop words: negations flip
#: a theme ("ไม่สุภาพ" is not polite).
_NEGATIONS = frozenset({"ไม่", "ไม่ได้", "ไม่มี", "ไม่ค่อย", "ไม่เคย", "ยังไม่", "ห้าม"})


# ----------------------------------------------------------------------------- tokens


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def _raw_tokens(text: str) -> list[str]:
    return list(_raw_tokens_cached(text))


@lru_cache(maxsize=65536)
def _raw_tokens_cached(text: str) -> tuple[str, ...]:
    """newmm tokens of one text (memoised: phrases and comments repeat across calls)."""
    from pythainlp.tokenize import word_tokenize

    out = []
    for tok in word_tokenize(unicodedata.normalize("NFC", text), engine="newmm"):
        tok = tok.strip().lower()
        if not tok or tok.isdigit() or not DROP_CHARS.sub("", tok):
            continue
        if all(ch.isdigit() or not ch.isalnum() for ch in tok):
            continue
        out.append(tok)
    return tuple(out)


def _is_comment(texts: pd.Series) -> pd.Series:
    """True where a text is a real comment (not blank, not "ไม่มี", "-", ...).

    Decided once per distinct text (comments repeat a lot), then taken back to every row.
    """
    codes, uniq = pd.factorize(texts.astype("string"), sort=False)
    stripped = pd.Series(uniq, dtype="string").str.strip().str.lower()
    ok_uniq = (stripped.notna() & ~stripped.isin(NON_COMMENTS)).to_numpy(dtype=bool)
    ok = np.zeros(len(codes), dtype=bool)
    seen = codes >= 0
    ok[seen] = ok_uniq[codes[seen]]
    return pd.Series(ok, index=texts.index)


@lru_cache(maxsize=64)
def _kept_stopwords(phrases: tuple[str, ...]) -> frozenset[str]:
    """Stop words to drop from the token stream: all but negations and lexicon words."""
    vocab = {w for p in phrases for w in _raw_tokens(p)}
    return frozenset(_stopwords() - _NEGATIONS - vocab)


def tokenize(texts: pd.Series) -> pd.Series:
    """Split Thai text into words (PyThaiNLP ``newmm``), without stop words.

    Parameters
    ----------
    texts : pandas.Series
        Free text; NaN and empty values give an empty list.

    Returns
    -------
    pandas.Series
        Same index; each value a list of tokens, lower-cased, with PyThaiNLP's Thai stop
        words, whitespace, punctuation and numbers (Arabic or Thai digits) removed.

    Examples
    --------
    >>> tokenize(pd.Series(["ห้องน้ำสกปรกมาก 2 ห้อง!", None])).tolist()
    [['ห้องน้ำ', 'สกปรก', 'ห้อง'], []]
    """
    stop = _stopwords()
    values = texts.astype("string")
    uniq = pd.unique(values.dropna())
    table = {t: [w for w in _raw_tokens(str(t)) if w not in stop] for t in uniq}
    return pd.Series(
        [list(table[v]) if not pd.isna(v) else [] for v in values],
        index=texts.index,
        dtype=object,
        name=texts.name,
    )


# ----------------------------------------------------------------------------- themes


def _union(phrases: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted(set(phrases), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def tag_themes(texts: pd.Series, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which themes each text mentions.

    Parameters
    ----------
    texts : pandas.Series
        Free text (NaN, blank and "no comment" answers such as ``ไม่มี`` or ``-`` match
        nothing).
    themes : pandas.DataFrame, optional
        From :func:`load_themes`; the built-in lexicon by default.

    Returns
    -------
    pandas.DataFrame
        One row per (text, theme) matched: ``text_index`` (the label in ``texts``),
        ``theme_code``, ``dimension``, ``cs_code``; sorted by position then theme order.

    Notes
    -----
    A theme matches when one of its keywords occurs in either stream of the text:
    (1) the text lower-cased with whitespace and punctuation removed, so phrases split by
    spaces still match; (2) the ``newmm`` tokens with stop words removed (negations
    kept) joined together, so "รอค่อนข้างนาน" matches "รอนาน". The theme's ``exclude``
    phrases are removed first. Each distinct text is tokenised once.

    Examples
    --------
    >>> s = pd.Series(["ที่จอดรถไม่พอ", "เจ้าหน้าที่ไม่สุภาพ", None], index=[10, 11, 12])
    >>> tag_themes(s)[["text_index", "theme_code"]]
       text_index  theme_code
    0          10     parking
    1          11  staff-rude
    """
    lex = load_themes() if themes is None else themes
    cols = ["text_index", "theme_code", "dimension", "cs_code"]
    ok = _is_comment(texts)
    values = texts[ok].astype(str)
    if values.empty or lex.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    codes, uniq = pd.factorize(values, sort=False)
    uniq_s = pd.Series(uniq, dtype=object)
    plain = uniq_s.map(normalise)
    keep = _kept_stopwords(tuple(sorted({p for phrases in lex["keywords"] for p in phrases})))
    streamed = uniq_s.map(lambda t: "".join(w for w in _raw_tokens(t) if w not in keep))
    hits = np.zeros((len(uniq_s), len(lex)), dtype=bool)
    for j, (kw, ex) in enumerate(zip(lex["keywords"], lex["exclude"], strict=True)):
        pat = _union(kw)
        if pat is None:
            continue
        drop = _union(ex)
        for stream in (plain, streamed):
            target = stream if drop is None else stream.str.replace(drop, "|", regex=True)
            hits[:, j] |= target.str.contains(pat, regex=True).to_numpy(dtype=bool)
    rows, themes_idx = np.nonzero(hits[codes])
    out = pd.DataFrame(
        {
            "text_index": values.index.to_numpy()[rows],
            "theme_code": lex["code"].to_numpy()[themes_idx],
            "dimension": lex["dimension"].to_numpy()[themes_idx],
            "cs_code": lex["cs_code"].to_numpy()[themes_idx],
        }
    )
    return out


def _long(responses: pd.DataFrame, by_cols: list[str], columns: Sequence[str]) -> pd.DataFrame:
    """by…, column (praise/improve/dissatisfied), text, plus respondent_id when present."""
    missing = [c for c in [*by_cols, *columns] if c not in responses.columns]
    if missing:
        raise InputError(
            f"column(s) {missing} not found in the responses; found "
            f"{list(responses.columns)}. Pass columns= / by= naming existing columns."
        )
    extra = ["respondent_id"] if "respondent_id" in responses.columns else []
    extra = [c for c in extra if c not in by_cols]
    parts = []
    for col in columns:
        part = responses[[*by_cols, *extra]].copy()
        part["column"] = col.removeprefix("comment_")
        part["text"] = responses[col].astype("string")
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    return long


def theme_counts(
    responses: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
    columns: Sequence[str] = COMMENT_COLUMNS,
    themes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How many comments mention each theme, per group and comment column.

    Parameters
    ----------
    responses : pandas.DataFrame
        ``Survey.responses`` (``by`` columns and the comment columns).
    by : str or list of str, default "unit_code"
        Grouping column(s).
    columns : sequence of str
        Comment columns; reported without the ``comment_`` prefix.
    themes : pandas.DataFrame, optional
        From :func:`load_themes`.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``column``, ``theme_code``, ``theme_th``, ``theme_en``,
        ``dimension``, ``cs_code``, ``polarity``, ``n_comments`` (comments mentioning the
        theme), ``n_total_comments`` (non-empty comments in that group and column) and
        ``pct_of_comments`` (NaN when there are none). Every theme appears for every group
        and column, with 0 when not mentioned.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["U1", "U1"],
    ...                   "comment_improve": ["ที่จอดรถน้อย", "ไม่มี"]})
    >>> t = theme_counts(r, columns=["comment_improve"])
    >>> t[t["theme_code"] == "parking"][["unit_code", "column", "n_comments",
    ...                                  "n_total_comments", "pct_of_comments"]]
       unit_code   column  n_comments  n_total_comments  pct_of_comments
    10        U1  improve           1                 1            100.0
    """
    by_cols = by_columns(by)
    lex = load_themes() if themes is None else themes
    long = _long(responses, by_cols, columns)
    keys = [*by_cols, "column"]
    long["_ok"] = _is_comment(long["text"]).astype("int64")
    total = long.groupby(keys, sort=False, dropna=False)["_ok"].sum().rename("n_total_comments")
    tags = tag_themes(long["text"], lex)
    hit = long.loc[tags["text_index"].to_numpy(), keys].reset_index(drop=True)
    hit["theme_code"] = tags["theme_code"].to_numpy()
    counts = hit.groupby([*keys, "theme_code"], sort=False, dropna=False).size()
    info = lex[["code", "th", "en", "dimension", "cs_code", "polarity"]].rename(
        columns={"code": "theme_code", "th": "theme_th", "en": "theme_en"}
    )
    info["_order"] = np.arange(len(info))
    grid = total.reset_index().merge(info, how="cross")
    grid = grid.merge(
        counts.rename("n_comments").reset_index(), on=[*keys, "theme_code"], how="left"
    )
    grid["n_comments"] = grid["n_comments"].fillna(0).astype("int64")
    grid["n_total_comments"] = grid["n_total_comments"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * grid["n_comments"] / grid["n_total_comments"].replace(0, np.nan)
    grid["pct_of_comments"] = pct.astype("float64")
    col_order = {c.removeprefix("comment_"): i for i, c in enumerate(columns)}
    grid["_col"] = grid["column"].map(col_order)
    grid = grid.sort_values([*by_cols, "_col", "_order"], kind="stable", ignore_index=True)
    out_cols = [*keys, "theme_code", "theme_th", "theme_en", "dimension", "cs_code", "polarity"]
    return grid[[*out_cols, "n_comments", "n_total_comments", "pct_of_comments"]]


def _masked(texts: pd.Series) -> pd.Series:
    from pmqa_analysis.workspace.privacy import mask_pii

    return mask_pii(texts)


def top_words(
    responses: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_code",
    columns: Sequence[str] = COMMENT_COLUMNS,
    k: int = 20,
) -> pd.DataFrame:
    """The most frequent words per group and comment column (PII masked first).

    Parameters
    ----------
    responses : pandas.DataFrame
        ``Survey.responses``.
    by : str or list of str, default "unit_code"
        Grouping column(s).
    columns : sequence of str
        Comment columns.
    k : int, default 20
        Words kept per group and column.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``column``, ``rank`` (1 = most frequent), ``word``, ``n``
        (occurrences), ``n_comments`` (comments containing the word). Ties are broken by
        the word itself, so the result does not depend on row order.

    Examples
    --------
    >>> import pmqa_analysis.cs.comments as text
    >>> r = pd.DataFrame({"unit_code": ["U1", "U1"],
    ...                   "comment_improve": ["ห้องน้ำสกปรก", "ห้องน้ำน้อย ห้องน้ำ"]})
    >>> top_words(r, columns=["comment_improve"], k=1)  # doctest: +SKIP
      unit_code   column  rank     word  n  n_comments
    0        U1  improve     1  ห้องน้ำ  3           2
    """
    if k < 1:
        raise InputError(f"top_words: k={k}; expected a positive number of words per group.")
    by_cols = by_columns(by)
    long = _long(responses, by_cols, columns)
    keys = [*by_cols, "column"]
    long = long[_is_comment(long["text"])].reset_index(drop=True)
    long["text"] = _masked(long["text"]) if len(long) else long["text"]
    long["word"] = tokenize(long["text"])
    long["_row"] = np.arange(len(long))
    words = long[[*keys, "_row", "word"]].explode("word").dropna(subset=["word"])
    g = words.groupby([*keys, "word"], sort=False, dropna=False)
    freq = pd.DataFrame({"n": g.size(), "n_comments": g["_row"].nunique()}).reset_index()
    freq = freq.sort_values([*keys, "n", "word"], ascending=[True] * len(keys) + [False, True])
    freq["rank"] = freq.groupby(keys, sort=False, dropna=False).cumcount() + 1
    freq = freq[freq["rank"] <= k].reset_index(drop=True)
    freq["n"] = freq["n"].astype("int64")
    freq["n_comments"] = freq["n_comments"].astype("int64")
    freq["rank"] = freq["rank"].astype("int64")
    return freq[[*keys, "rank", "word", "n", "n_comments"]]


def example_comments(
    responses: pd.DataFrame,
    theme_code: str | Sequence[str],
    *,
    by: str | Sequence[str] = "unit_code",
    columns: Sequence[str] = COMMENT_COLUMNS,
    k: int = 3,
    seed: int = 0,
    themes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A few quoted comments on one theme per group, PII masked, deterministic.

    Parameters
    ----------
    responses : pandas.DataFrame
        ``Survey.responses``.
    theme_code : str or sequence of str
        A code of the lexicon (see :func:`load_themes`), or several: the comments are
        then tagged once and a ``theme_code`` column tells which theme each quote is for.
    by : str or list of str, default "unit_code"
        Grouping column(s).
    columns : sequence of str
        Comment columns searched.
    k : int, default 3
        Comments per group (fewer when fewer mention the theme).
    seed : int, default 0
        Changes which comments are picked; the same seed always picks the same ones.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``column``, ``respondent_id`` (when present), ``comment`` (masked
        with :func:`pmqa_analysis.workspace.privacy.mask_pii`). Identical comments are quoted once
        (with the smallest respondent id).

    Notes
    -----
    The pick orders each group's distinct comments by a seeded hash of the text
    (``pandas.util.hash_pandas_object``), so it depends neither on row order nor on
    which other units are in the data.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_code": ["U1", "U1", "U2"],
    ...                   "comment_improve": ["รอนานมาก", "คิวยาว", "ห้องน้ำ"]})
    >>> example_comments(r, "waiting", columns=["comment_improve"], k=5)  # doctest: +SKIP
      unit_code   column   comment
    0        U1  improve    คิวยาว
    1        U1  improve  รอนานมาก
    """
    lex = load_themes() if themes is None else themes
    several = not isinstance(theme_code, str)
    wanted = [theme_code] if isinstance(theme_code, str) else list(theme_code)
    unknown = [t for t in wanted if t not in set(lex["code"])]
    if unknown:
        raise InputError(
            f"example_comments: theme {', '.join(map(repr, unknown))} not found; "
            "expected codes among "
            f"{sorted(lex['code'])}. See load_themes()."
        )
    if k < 1:
        raise InputError(f"example_comments: k={k}; expected a positive number of comments.")
    by_cols = by_columns(by)
    long = _long(responses, by_cols, columns)
    keys = [*by_cols, "column"]
    tags = tag_themes(long["text"], lex[lex["code"].isin(wanted)])
    picked = long.loc[tags["text_index"].to_numpy()].copy()
    picked["theme_code"] = tags["theme_code"].to_numpy()
    picked["text"] = picked["text"].astype(str).str.strip()
    tie = ["respondent_id"] if "respondent_id" in picked.columns else []
    per = [*by_cols, "theme_code"]
    picked = picked.sort_values([*per, "text", *tie], kind="stable")
    picked = picked.drop_duplicates([*per, "text"])
    key = f"{seed:016d}"[-16:]
    picked["_h"] = pd.util.hash_pandas_object(picked["text"], index=False, hash_key=key).to_numpy()
    picked = picked.sort_values([*per, "_h", "text"], kind="stable")
    picked = picked.groupby(per, sort=False, dropna=False).head(k)
    picked = picked.sort_values([*by_cols, "theme_code", "column", "_h"], kind="stable")
    picked = picked.reset_index(drop=True)
    picked["comment"] = _masked(picked["text"]) if len(picked) else picked["text"]
    extra = ["respondent_id"] if "respondent_id" in picked.columns else []
    extra = [c for c in extra if c not in by_cols]
    out_cols = [*keys, *extra, "comment", *(["theme_code"] if several else [])]
    return picked[out_cols].reset_index(drop=True)
