"""Likert scales as data: labels and aliases to scores, missing labels, reverse coding.

The built-in scales live in ``pmqa_analysis/data/scales.toml``; a user adds or
replaces scales with a TOML file in the same format (see the header of that
file).  A :class:`Scale` turns raw answers -- labels in Thai or English, extra
spellings, numeric codes, Thai digits -- into float scores with one vectorised
pass (:meth:`Scale.to_scores`).

Examples
--------
>>> import pandas as pd
>>> th5 = get_scale("th5")
>>> th5.scores, th5.top2, th5.bottom2
((1, 2, 3, 4, 5), (4, 5), (1, 2))
>>> scores, invalid = th5.to_scores(pd.Series(["มากที่สุด", " 4 ", "๓", "ไม่มีความเห็น", "9"]))
>>> scores.tolist()
[5.0, 4.0, 3.0, nan, nan]
>>> invalid.tolist()
[False, False, False, False, True]
"""

from __future__ import annotations

import functools
import numbers
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, overload

import numpy as np
import pandas as pd

from pmqa_analysis.core.data_files import data_file_text
from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.core.thai import to_arabic_digits

__all__ = [
    "Scale",
    "get_scale",
    "load_scales",
    "scale_from_value_labels",
    "scale_names",
    "scales_table",
]

_BUILTIN_FILE = "scales.toml"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SPACES = re.compile(r"\s+")
_SCALE_KEYS = {"title_th", "title_en", "note", "levels", "aliases", "missing", "common_missing"}
_LEVEL_KEYS = {"score", "th", "en"}
# forms of "score + label" recognised without being listed as aliases
_AUTO_FORMS = (
    "{s} - {l}",
    "{s}-{l}",
    "{s}. {l}",
    "{s}.{l}",
    "{s} {l}",
    "{s} = {l}",
    "{s}={l}",
    "{l} ({s})",
    "{l}({s})",
    "({s}) {l}",
)


def _norm(text: str) -> str:
    """Normalise one answer for matching: NFC, Thai digits, spaces, Latin case."""
    text = to_arabic_digits(unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip().casefold()


def _as_number(key: str) -> float | None:
    """The number written in a normalised answer, or None."""
    return float(key) if _NUMBER.fullmatch(key) else None


@dataclass(frozen=True)
class Scale:
    """One Likert scale: ordered integer scores with Thai and English labels.

    Parameters
    ----------
    name : str
        The name questionnaires refer to (``scale`` column), e.g. ``"th5"``.
    title_th, title_en : str
        A title for the methods section.
    scores : tuple of int
        The scores, ascending.
    labels_th, labels_en : tuple of str
        One label per score, aligned with ``scores``.
    aliases : Mapping[str, int]
        Extra spellings mapped to a score.
    missing : frozenset of str
        Labels that mean "no answer"; a numeric label (e.g. ``"9"``) makes that
        code missing too.
    note : str
        Provenance and caveats (optional).

    Examples
    --------
    >>> s = get_scale("th4_national")
    >>> s.min, s.max, s.n_levels, s.label(4), s.label(1, "en")
    (1, 4, 4, 'พอใจมาก', 'Not at all satisfied')
    """

    name: str
    title_th: str
    title_en: str
    scores: tuple[int, ...]
    labels_th: tuple[str, ...]
    labels_en: tuple[str, ...]
    aliases: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    missing: frozenset[str] = frozenset()
    note: str = ""

    def __hash__(self) -> int:
        return hash((self.name, self.scores, self.labels_th, self.labels_en, self.missing))

    @property
    def min(self) -> int:
        """The lowest score."""
        return self.scores[0]

    @property
    def max(self) -> int:
        """The highest score."""
        return self.scores[-1]

    @property
    def n_levels(self) -> int:
        """The number of scores."""
        return len(self.scores)

    @property
    def top2(self) -> tuple[int, ...]:
        """The two highest scores, ascending (the top-2-box)."""
        return self.scores[-2:]

    @property
    def bottom2(self) -> tuple[int, ...]:
        """The two lowest scores, ascending (the bottom-2-box)."""
        return self.scores[:2]

    @functools.cached_property
    def missing_codes(self) -> tuple[float, ...]:
        """Numeric codes declared missing (numeric entries of :attr:`missing`)."""
        nums = {_as_number(_norm(m)) for m in self.missing}
        return tuple(sorted(x for x in nums if x is not None))

    @functools.cached_property
    def _lookup(self) -> dict[str, int]:
        table: dict[str, int] = {}
        pairs = list(zip(self.scores, self.labels_th, strict=True))
        pairs += list(zip(self.scores, self.labels_en, strict=True))
        for s, lab in pairs:
            for form in _AUTO_FORMS:
                table[_norm(form.format(s=s, l=lab))] = s
        for s, lab in pairs:
            table[_norm(lab)] = s
        for alias, s in self.aliases.items():
            table[_norm(alias)] = s
        return table

    @functools.cached_property
    def _missing_keys(self) -> frozenset[str]:
        return frozenset(_norm(m) for m in self.missing)

    def label(self, score: int, language: str = "th") -> str:
        """The label of ``score`` in ``language`` (``"th"`` or ``"en"``).

        Examples
        --------
        >>> get_scale("th5").label(3)
        'ปานกลาง'
        """
        check_language(language)
        try:
            i = self.scores.index(int(score))
        except ValueError:
            raise InputError(
                f"score {score!r} is not on scale {self.name!r}: expected one of "
                f"{list(self.scores)}"
            ) from None
        return (self.labels_th if language == "th" else self.labels_en)[i]

    @overload
    def reverse(self, scores: pd.Series) -> pd.Series: ...
    @overload
    def reverse(self, scores: np.ndarray) -> np.ndarray: ...
    @overload
    def reverse(self, scores: float) -> float: ...

    def reverse(self, scores: pd.Series | np.ndarray | float) -> pd.Series | np.ndarray | float:
        """Reverse-code scores: ``min + max - score`` (NaN stays NaN).

        Examples
        --------
        >>> get_scale("th5").reverse(pd.Series([1.0, 5.0, float("nan")])).tolist()
        [5.0, 1.0, nan]
        >>> get_scale("th4_national").reverse(4)
        1
        """
        return self.min + self.max - scores

    def to_scores(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Convert raw answers to scores.

        Parameters
        ----------
        values : pandas.Series
            Raw answers: numbers, numeric strings (Arabic or Thai digits),
            labels (Thai or English), aliases or missing labels.

        Returns
        -------
        scores : pandas.Series
            float64, the score, or NaN for blank and missing answers (and for
            invalid ones).
        invalid : pandas.Series
            bool, True where the answer is neither a score, a label, an alias
            nor a missing label (e.g. 9 on a 1-5 scale without a missing code 9).

        Notes
        -----
        Numeric columns take a vectorised ``np.isin`` path; text columns are
        factorised once and only the distinct values are looked up, so a
        million answers cost one pass.

        Examples
        --------
        >>> s, bad = get_scale("en5_agree").to_scores(pd.Series([5, 2.0, 0, None]))
        >>> s.tolist(), bad.tolist()
        ([5.0, 2.0, nan, nan], [False, False, True, False])
        """
        if not isinstance(values, pd.Series):
            raise InputError(
                f"to_scores expects a pandas Series, found {type(values).__name__}: "
                "pass one column of the responses frame"
            )
        index, name = values.index, values.name
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            arr = values.to_numpy(dtype="float64", na_value=np.nan)
            out, bad = self._classify_numbers(arr)
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            u_scores = np.full(len(uniques) + 1, np.nan)
            u_bad = np.zeros(len(uniques) + 1, dtype=bool)
            for i, u in enumerate(np.asarray(uniques, dtype=object)):
                u_scores[i], u_bad[i] = self._classify_one(u)
            # code -1 (missing) takes the last slot: NaN, not invalid
            out, bad = u_scores[codes], u_bad[codes]
        return (
            pd.Series(out, index=index, name=name, dtype="float64"),
            pd.Series(bad, index=index, name=name, dtype=bool),
        )

    def _classify_numbers(self, arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ok = np.isin(arr, np.asarray(self.scores, dtype="float64"))
        miss = np.isnan(arr)
        if self.missing_codes:
            miss |= np.isin(arr, np.asarray(self.missing_codes, dtype="float64"))
        return np.where(ok, arr, np.nan), ~ok & ~miss

    def _classify_one(self, value: Any) -> tuple[float, bool]:
        """(score or NaN, invalid) for one distinct raw value."""
        if isinstance(value, bool | np.bool_):
            return np.nan, True
        if isinstance(value, numbers.Real):
            x = float(value)
        elif isinstance(value, str):
            key = _norm(value)
            if key == "" or key in self._missing_keys:
                return np.nan, False
            if key in self._lookup:
                return float(self._lookup[key]), False
            num = _as_number(key)
            if num is None:
                return np.nan, True
            x = num
        else:
            return np.nan, True
        if x != x:  # NaN
            return np.nan, False
        if x in self.scores:
            return x, False
        return np.nan, x not in self.missing_codes


# --------------------------------------------------------------------------- loading


def _read_toml(path: Path | None) -> tuple[dict[str, Any], str]:
    text, shown = data_file_text(path, _BUILTIN_FILE, "scale file")
    try:
        return tomllib.loads(text), shown
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(
            f"scale file {shown} is not valid TOML: {exc}; fix the line named above"
        ) from None


def _text(raw: Mapping[str, Any], key: str, where: str, errors: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}, field '{key}': found {value!r}; expected non-empty text")
        return ""
    return value.strip()


def _build_scale(
    name: str, raw: Any, common: Iterable[str], file: str, errors: list[str]
) -> Scale | None:
    """Validate one scale table; append problems to ``errors``; None if invalid."""
    where = f"{file}: scale '{name}'"
    n_before = len(errors)
    if not isinstance(raw, Mapping):
        errors.append(f"{where}: expected a table [scales.{name}], found {raw!r}")
        return None
    for key in sorted(set(raw) - _SCALE_KEYS):
        errors.append(
            f"{where}, field '{key}': unknown field; expected one of {sorted(_SCALE_KEYS)}"
        )
    title_th = _text(raw, "title_th", where, errors)
    title_en = _text(raw, "title_en", where, errors)
    note = raw.get("note", "")
    levels = raw.get("levels")
    if not isinstance(levels, list) or len(levels) < 2:
        errors.append(
            f"{where}, field 'levels': found {levels!r}; expected a list of at least two "
            "{ score = ..., th = ..., en = ... } entries"
        )
        return None
    rows: list[tuple[int, str, str]] = []
    for i, lev in enumerate(levels, start=1):
        lw = f"{where}, field 'levels' entry {i}"
        if not isinstance(lev, Mapping):
            errors.append(f"{lw}: found {lev!r}; expected {{ score = ..., th = ..., en = ... }}")
            continue
        for key in sorted(set(lev) - _LEVEL_KEYS):
            errors.append(f"{lw}, field '{key}': unknown field; expected score, th, en")
        score = lev.get("score")
        if isinstance(score, bool) or not isinstance(score, int):
            errors.append(f"{lw}, field 'score': found {score!r}; expected a whole number")
            continue
        rows.append((score, _text(lev, "th", lw, errors), _text(lev, "en", lw, errors)))
    scores = [r[0] for r in rows]
    for s in sorted({s for s in scores if scores.count(s) > 1}):
        errors.append(
            f"{where}, field 'levels': score {s} appears more than once; scores must be unique"
        )
    owner: dict[str, int] = {}
    for s, th, en in rows:
        for lab in {th, en}:
            key = _norm(lab)
            if key and owner.setdefault(key, s) != s:
                errors.append(
                    f"{where}, field 'levels': label {lab!r} is used for scores {owner[key]} "
                    f"and {s}; labels must be unique within a scale"
                )
    aliases = raw.get("aliases", {})
    if not isinstance(aliases, Mapping):
        errors.append(f"{where}, field 'aliases': found {aliases!r}; expected a table")
        aliases = {}
    for alias, s in aliases.items():
        if isinstance(s, bool) or not isinstance(s, int) or s not in scores:
            errors.append(
                f"{where}, field 'aliases': alias {alias!r} points to {s!r}, which is not a "
                f"score of this scale; expected one of {sorted(set(scores))}"
            )
        elif owner.setdefault(_norm(alias), s) != s:
            errors.append(
                f"{where}, field 'aliases': alias {alias!r} -> {s} is already the label of "
                f"score {owner[_norm(alias)]}"
            )
    own_missing = raw.get("missing", [])
    if not isinstance(own_missing, list) or not all(isinstance(m, str) for m in own_missing):
        errors.append(f"{where}, field 'missing': found {own_missing!r}; expected a list of text")
        own_missing = []
    use_common = raw.get("common_missing", True)
    if not isinstance(use_common, bool):
        errors.append(
            f"{where}, field 'common_missing': found {use_common!r}; expected true or false"
        )
    missing = set(own_missing) | (set(common) if use_common is True else set())
    for m in sorted(missing):
        key, num = _norm(m), _as_number(_norm(m))
        if key in owner or (num is not None and num in scores):
            errors.append(
                f"{where}, field 'missing': missing label {m!r} is also a label, alias or "
                "score of the scale; remove it from 'missing' (or set common_missing = false)"
            )
    if len(errors) > n_before:
        return None
    rows.sort()
    return Scale(
        name=name,
        title_th=title_th,
        title_en=title_en,
        scores=tuple(r[0] for r in rows),
        labels_th=tuple(r[1] for r in rows),
        labels_en=tuple(r[2] for r in rows),
        aliases=MappingProxyType({str(a): int(s) for a, s in aliases.items()}),
        missing=frozenset(missing),
        note=str(note).strip(),
    )


def _parse_file(
    path: Path | None, common: Iterable[str] = ()
) -> tuple[dict[str, Scale], list[str]]:
    doc, shown = _read_toml(path)
    errors: list[str] = []
    common_raw = (
        doc.get("common", {}).get("missing", []) if isinstance(doc.get("common"), dict) else []
    )
    if not isinstance(common_raw, list) or not all(isinstance(m, str) for m in common_raw):
        errors.append(f"{shown}: [common] field 'missing': expected a list of text")
        common_raw = []
    common_all = [*common, *common_raw]
    table = doc.get("scales")
    if not isinstance(table, dict) or not table:
        errors.append(f"{shown}: no [scales.NAME] tables found; expected at least one scale")
        table = {}
    for key in sorted(set(doc) - {"common", "scales"}):
        errors.append(f"{shown}: unknown table [{key}]; expected [common] and [scales.NAME]")
    out: dict[str, Scale] = {}
    for name, raw in table.items():
        scale = _build_scale(name, raw, common_all, shown, errors)
        if scale is not None:
            out[name] = scale
    return out, errors


def _raise(errors: list[str]) -> None:
    if errors:
        raise CatalogueError(
            f"{len(errors)} problem(s) in the scale definitions:\n" + "\n".join(errors)
        )


@functools.lru_cache(maxsize=1)
def _builtins() -> tuple[dict[str, Scale], tuple[str, ...]]:
    scales, errors = _parse_file(None)
    _raise(errors)
    doc, _ = _read_toml(None)
    return scales, tuple(doc["common"]["missing"])


def load_scales(extra: str | Path | None = None) -> dict[str, Scale]:
    """The built-in scales, plus those of a user's scale file.

    Parameters
    ----------
    extra : str or Path, optional
        A TOML file in the format of ``pmqa_analysis/data/scales.toml``. Its
        scales are added; one with a built-in scale's name **replaces** the
        built-in one (that is how a unit fixes a label order it uses
        differently). The built-in ``[common].missing`` labels apply to the
        user's scales too unless a scale sets ``common_missing = false``.

    Returns
    -------
    dict
        Scale name -> :class:`Scale`, built-ins first in file order.

    Raises
    ------
    CatalogueError
        The file is missing, not TOML, or breaks a rule; the message lists
        every problem with the file, the scale and the field.

    Examples
    --------
    >>> list(load_scales())[:3]
    ['th5', 'th5_quality', 'th5_satisfaction']
    """
    builtin, common = _builtins()
    scales = dict(builtin)
    if extra is not None:
        user, errors = _parse_file(Path(extra), common)
        _raise(errors)
        scales.update(user)
    return scales


def scale_names() -> list[str]:
    """Names of the built-in scales, in file order.

    Examples
    --------
    >>> "th5" in scale_names()
    True
    """
    return list(_builtins()[0])


def get_scale(name: str, scales: Mapping[str, Scale] | None = None) -> Scale:
    """One scale by name (from ``scales``, default the built-ins).

    Examples
    --------
    >>> get_scale("num4").scores
    (1, 2, 3, 4)
    >>> get_scale("th7")
    Traceback (most recent call last):
    ...
    pmqa_analysis.core.errors.CatalogueError: unknown scale 'th7' ...
    """
    table = load_scales() if scales is None else scales
    try:
        return table[name]
    except KeyError:
        raise CatalogueError(
            f"unknown scale {name!r} in the questionnaire; known scales: "
            f"{', '.join(table)}. Use one of these names or define the scale in a scale file "
            "(see `pmqa scales`)"
        ) from None


def scale_from_value_labels(
    name: str, value_labels: Mapping[float, str], missing_values: Sequence[float] = ()
) -> Scale:
    """A scale from SPSS value labels (``pyreadstat`` metadata).

    Parameters
    ----------
    name : str
        Name of the new scale.
    value_labels : Mapping[float, str]
        Code -> label, e.g. ``meta.variable_value_labels["Question_01"]``.
    missing_values : sequence of float
        Codes declared user-missing; they and their labels become missing
        labels. A code whose label is one of the common missing labels
        (e.g. ``9 = "Not answered"``) is also treated as missing.

    Notes
    -----
    Codes are kept as scores in their own order: in SPSS files the highest
    code may mean the *lowest* agreement (SAQ.sav: 1 = Strongly agree,
    5 = Strongly disagree). The scale is not reordered; reverse coding is the
    questionnaire's job (its ``reverse`` column). The label text serves as both
    the Thai and the English label.

    Examples
    --------
    >>> s = scale_from_value_labels("saq", {1.0: "Strongly agree", 2.0: "Agree",
    ...     3.0: "Neither", 4.0: "Disagree", 5.0: "Strongly disagree", 9.0: "Not answered"})
    >>> s.scores, s.label(1, "en"), s.missing_codes
    ((1, 2, 3, 4, 5), 'Strongly agree', (9.0,))
    """
    _, common = _builtins()
    common_keys = {_norm(m) for m in common}
    miss_codes = {float(m) for m in missing_values}
    levels: list[dict[str, Any]] = []
    missing: list[str] = []
    errors: list[str] = []
    for code, label in value_labels.items():
        text = str(label).strip()
        if float(code) in miss_codes or _norm(text) in common_keys:
            missing += [text, f"{float(code):g}"]
        elif float(code) != int(float(code)):
            errors.append(
                f"value labels of {name!r}: code {code!r} ({text!r}) is not a whole number; "
                "expected integer codes, or list it in missing_values"
            )
        else:
            levels.append({"score": int(float(code)), "th": text, "en": text})
    missing += [f"{c:g}" for c in miss_codes]
    raw = {"title_th": name, "title_en": name, "levels": levels, "missing": missing}
    scale = _build_scale(name, raw, common, "SPSS value labels", errors)
    _raise(errors)
    if scale is None:  # pragma: no cover - _raise stops on any problem first
        raise CatalogueError(f"value labels of {name!r} do not make a scale")
    return scale


def scales_table(scales: Mapping[str, Scale] | None = None, language: str = "th") -> pd.DataFrame:
    """One row per scale and score: ``name``, ``score``, ``label``, ``aliases``.

    ``aliases`` joins the extra spellings of that score with ``"; "``.

    Examples
    --------
    >>> t = scales_table({"th4_national": get_scale("th4_national")}, "en")
    >>> t[["score", "label"]].to_dict("list")
    {'score': [1, 2, 3, 4], 'label': ['Not at all satisfied', 'Not very satisfied',
     'Fairly satisfied', 'Very satisfied']}
    """
    check_language(language)
    table = load_scales() if scales is None else scales
    rows = []
    for name, scale in table.items():
        for score in scale.scores:
            alias = sorted(a for a, s in scale.aliases.items() if s == score)
            rows.append(
                {
                    "name": name,
                    "score": score,
                    "label": scale.label(score, language),
                    "aliases": "; ".join(alias),
                }
            )
    df = pd.DataFrame(rows, columns=["name", "score", "label", "aliases"])
    df["score"] = df["score"].astype("int64")
    return df
