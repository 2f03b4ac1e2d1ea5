"""The CS criteria catalogue: loading and validating a catalogue file (TOML), its rules.

A catalogue is a TOML file (the built-in one is the *example* split of PMQA
category 3 into 10 activity codes, ``pmqa_analysis/data/catalogue_example.toml``;
its header documents the format). A province replaces it with its own file
for another fiscal year or another split; every report names the catalogue
and version it used. Loading validates the whole file and reports every
problem at once (:class:`~pmqa_analysis.core.errors.CatalogueError`). The records a
catalogue is made of (:class:`Catalogue`, :class:`ActivityCode`, :class:`Indicator` ...)
are defined in :mod:`pmqa_analysis.workspace.catalogue_model` and importable from here.

Scoring rules (data; applied by the assessment module)
------------------------------------------------------
For one unit, fiscal year and activity code:

* checklist share = (done x 1 + partly x 0.5 + not_done x 0) / number of the
  activity's checklist items (an item with no row counts as not_done);
* a rule ``{checklist_min = x, indicators = "all" | "any" | "none"}`` holds when
  the share is >= x and every / at least one / no particular indicator meets
  its target (an indicator without a value does not meet it);
* status = ``met`` if the ``met`` rule holds, else ``partly`` if the ``partly``
  rule holds, else ``not_met``; ``no_data`` when there is neither a checklist
  row nor an indicator value.

The catalogue's ``[scoring]`` table gives the defaults (when absent:
``met = {checklist_min = 1.0, indicators = "all"}``,
``partly = {checklist_min = 0.5, indicators = "any"}``); an activity's own
``scoring`` replaces them rule by rule, key by key.

Examples
--------
>>> cat = load_catalogue()
>>> cat.list_codes()[:3]
['CS1A', 'CS1B', 'CS2A']
>>> get_code("CS 1 A").requirement
'CS1'
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmqa_analysis.core.errors import CatalogueError
from pmqa_analysis.core.labels import check_language
from pmqa_analysis.core.problems import ProblemLog, format_problems
from pmqa_analysis.workspace.catalogue_model import (
    DIRECTIONS,
    INDICATOR_RULES,
    KNOWN_METRICS,
    ActivityCode,
    Catalogue,
    ChecklistItem,
    Indicator,
    MetricInfo,
    Requirement,
    Scoring,
    ScoringRule,
    Step,
)

if TYPE_CHECKING:
    import pandas as pd

#: the loading functions defined here, and the data model re-exported from catalogue_model
__all__ = [
    "DIRECTIONS",
    "INDICATOR_RULES",
    "KNOWN_METRICS",
    "ActivityCode",
    "Catalogue",
    "ChecklistItem",
    "Indicator",
    "MetricInfo",
    "Requirement",
    "Scoring",
    "ScoringRule",
    "Step",
    "get_code",
    "list_codes",
    "load_catalogue",
    "validate_catalogue",
]

_BUILTIN = "catalogue_example.toml"


class _Parser:
    """Turns a TOML document into a Catalogue, logging every problem."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.log = ProblemLog()

    def add(self, where: str, value: Any, expected: str, hint: str = "") -> None:
        self.log.add(
            "catalogue", file=self.file, column=where, value=value, expected=expected, hint=hint
        )

    def text(self, raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(f"{where}.{key}", value if key in raw else "(missing)", "non-empty text")
            return ""
        return value.strip()

    def table_list(self, raw: Any, where: str) -> list[Mapping[str, Any]]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
            self.add(where, raw, f"a list of tables ([[{where}]])")
            return []
        return raw

    def rule(self, raw: Any, where: str, default: ScoringRule) -> ScoringRule:
        if not isinstance(raw, Mapping):
            self.add(where, raw, "a table { checklist_min = 0-1, indicators = all/any/none }")
            return default
        for k in sorted(set(raw) - {"checklist_min", "indicators"}):
            self.add(f"{where}.{k}", raw[k], "only checklist_min and indicators")
        share = raw.get("checklist_min", default.checklist_min)
        ok = isinstance(share, int | float) and not isinstance(share, bool)
        if not ok or not 0 <= share <= 1:
            self.add(f"{where}.checklist_min", share, "a number from 0 to 1 (share of checklist)")
            share = default.checklist_min
        ind = raw.get("indicators", default.indicators)
        if ind not in INDICATOR_RULES:
            self.add(f"{where}.indicators", ind, f"one of {', '.join(INDICATOR_RULES)}")
            ind = default.indicators
        return ScoringRule(float(share), str(ind))

    def scoring(self, raw: Any, where: str, default: Scoring) -> Scoring:
        if raw is None:
            return default
        if not isinstance(raw, Mapping):
            self.add(where, raw, "a table with met and partly rules")
            return default
        for k in sorted(set(raw) - {"met", "partly"}):
            self.add(f"{where}.{k}", raw[k], "only the rules met and partly")
        met = self.rule(raw.get("met", {}), f"{where}.met", default.met)
        partly = self.rule(raw.get("partly", {}), f"{where}.partly", default.partly)
        if partly.checklist_min > met.checklist_min:
            self.add(
                f"{where}.partly.checklist_min",
                partly.checklist_min,
                f"at most met.checklist_min ({met.checklist_min})",
            )
        return Scoring(met, partly)

    def catalogue(self, doc: Mapping[str, Any]) -> Catalogue:
        for k in sorted(set(doc) - {"catalogue", "scoring", "requirements", "activities"}):
            self.add(k, "(table)", "only [catalogue], [scoring], [[requirements]], [[activities]]")
        head = doc.get("catalogue")
        if not isinstance(head, Mapping):
            self.add("catalogue", "(missing)", "a [catalogue] table with name and version")
            head = {}
        name = self.text(head, "name", "catalogue")
        version = head.get("version", "")
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        if not isinstance(version, str) or not version.strip():
            self.add("catalogue.version", version or "(missing)", "a version (text)")
            version = ""
        fy = head.get("fiscal_year")
        if fy is not None and (isinstance(fy, bool) or not isinstance(fy, int) or fy < 2400):
            self.add("catalogue.fiscal_year", fy, "a Buddhist Era year such as 2567")
            fy = None
        default = self.scoring(doc.get("scoring"), "scoring", Scoring())

        reqs: list[Requirement] = []
        for i, r in enumerate(self.table_list(doc.get("requirements"), "requirements"), 1):
            code = r.get("code")
            if not isinstance(code, str) or not code.strip():
                self.add(f"requirements[#{i}].code", code, "a requirement code such as CS1")
                continue
            where = f"requirements[{code}]"
            if code in {x.code for x in reqs}:
                self.add(f"{where}.code", code, "a unique requirement code (duplicate)")
            reqs.append(
                Requirement(
                    code,
                    self.text(r, "title_th", where),
                    self.text(r, "title_en", where),
                    self.text(r, "description_th", where, required=False),
                    self.text(r, "description_en", where, required=False),
                )
            )
        if not reqs:
            self.add("requirements", "(none)", "at least one [[requirements]] entry")
        req_codes = [r.code for r in reqs]

        acts: list[ActivityCode] = []
        seen: dict[str, set[str]] = {"check": set(), "indicator": set()}
        for i, a in enumerate(self.table_list(doc.get("activities"), "activities"), 1):
            code = a.get("code")
            if not isinstance(code, str) or not code.strip():
                self.add(f"activities[#{i}].code", code, "an activity code such as CS1A")
                continue
            where = f"activities[{code}]"
            if code in {x.code for x in acts}:
                self.add(f"{where}.code", code, "a unique activity code (duplicate)")
            req = a.get("requirement")
            if req not in req_codes:
                self.add(
                    f"{where}.requirement",
                    req if req is not None else "(missing)",
                    f"one of the requirements {', '.join(req_codes)}",
                    "add the requirement or fix the code",
                )
            steps = tuple(
                Step(self.text(s, "th", f"{where}.steps[{j}]"),
                     self.text(s, "en", f"{where}.steps[{j}]"))
                for j, s in enumerate(self.table_list(a.get("steps"), f"{where}.steps"), 1)
            )  # fmt: skip
            checklist = self.checklist(a, code, where, seen["check"])
            indicators = self.indicators(a, code, where, seen["indicator"])
            acts.append(
                ActivityCode(
                    code=code,
                    requirement=str(req),
                    title_th=self.text(a, "title_th", where),
                    title_en=self.text(a, "title_en", where),
                    steps=steps,
                    checklist=checklist,
                    indicators=indicators,
                    scoring=self.scoring(a.get("scoring"), f"{where}.scoring", default),
                )
            )
        if not acts:
            self.add("activities", "(none)", "at least one [[activities]] entry")
        return Catalogue(
            name=name,
            version=str(version).strip(),
            source=self.text(head, "source", "catalogue", required=False),
            fiscal_year=fy,
            note=self.text(head, "note", "catalogue", required=False),
            requirements=tuple(reqs),
            activities=tuple(acts),
            scoring=default,
            path=self.file,
        )

    def checklist(
        self, a: Mapping[str, Any], code: str, where: str, seen: set[str]
    ) -> tuple[ChecklistItem, ...]:
        items = []
        for j, c in enumerate(self.table_list(a.get("checklist"), f"{where}.checklist"), 1):
            cc = c.get("code")
            if not isinstance(cc, str) or not cc.strip():
                self.add(f"{where}.checklist[#{j}].code", cc, f"a checklist code such as {code}.1")
                continue
            cw = f"{where}.checklist[{cc}]"
            if cc in seen:
                self.add(f"{cw}.code", cc, "a unique checklist code (duplicate)")
            seen.add(cc)
            items.append(ChecklistItem(cc, code, self.text(c, "th", cw), self.text(c, "en", cw)))
        if not items:
            self.add(f"{where}.checklist", "(none)", "at least one [[activities.checklist]] item")
        return tuple(items)

    def indicators(
        self, a: Mapping[str, Any], code: str, where: str, seen: set[str]
    ) -> tuple[Indicator, ...]:
        out = []
        for j, d in enumerate(self.table_list(a.get("indicators"), f"{where}.indicators"), 1):
            ic = d.get("code")
            if not isinstance(ic, str) or not ic.strip():
                self.add(
                    f"{where}.indicators[#{j}].code", ic, f"an indicator code such as {code}.K1"
                )
                continue
            iw = f"{where}.indicators[{ic}]"
            if ic in seen:
                self.add(f"{iw}.code", ic, "a unique indicator code (duplicate)")
            seen.add(ic)
            metric = d.get("metric")
            if metric not in KNOWN_METRICS:
                self.add(
                    f"{iw}.metric",
                    metric if metric is not None else "(missing)",
                    f"a known metric: {', '.join(KNOWN_METRICS)}",
                )
            raw_target = d.get("target")
            target = math.nan
            if isinstance(raw_target, int | float) and not isinstance(raw_target, bool):
                target = float(raw_target)
            if not math.isfinite(target):
                shown = raw_target if raw_target is not None else "(missing)"
                self.add(f"{iw}.target", shown, "a number")
            direction = d.get("direction")
            if direction not in DIRECTIONS:
                self.add(
                    f"{iw}.direction",
                    direction if direction is not None else "(missing)",
                    "'>=' (higher is better) or '<=' (lower is better)",
                )
            out.append(
                Indicator(ic, code, str(metric), target, str(direction),
                          self.text(d, "th", iw), self.text(d, "en", iw))
            )  # fmt: skip
        return tuple(out)


def _parse(path: str | Path | None) -> tuple[Catalogue | None, ProblemLog, str]:
    if path is None:
        shown = f"pmqa_analysis/data/{_BUILTIN}"
        text = resources.files("pmqa_analysis").joinpath("data", _BUILTIN).read_text("utf-8")
    else:
        shown = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CatalogueError(
                f"criteria catalogue {shown} not found: check [catalogue] path in settings.toml "
                "(leave it blank for the built-in example)"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(
                f"criteria catalogue {shown} could not be read ({exc}): save it as UTF-8 text"
            ) from None
    parser = _Parser(shown)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        parser.log.add(
            "toml_syntax",
            file=shown,
            row=int(m.group(1)) if m else None,
            value=str(exc),
            expected="valid TOML",
            hint="fix the line named (quotes, brackets, commas)",
        )
        return None, parser.log, shown
    return parser.catalogue(doc), parser.log, shown


def validate_catalogue(path: str | Path | None = None, language: str = "th") -> pd.DataFrame:
    """Every problem of a catalogue file, as a problems table (empty when valid).

    Columns are those of :data:`pmqa_analysis.core.problems.PROBLEM_COLUMNS`;
    ``column`` names the code and field (e.g. ``activities[CS1A].title_en``),
    ``row`` the line of a TOML syntax error.

    Examples
    --------
    >>> validate_catalogue().empty
    True
    """
    _, log, _ = _parse(path)
    return log.table(check_language(language))


def _load(path: str | Path | None) -> Catalogue:
    cat, log, shown = _parse(path)
    if log.has_errors or cat is None:
        table = log.table("en")
        raise CatalogueError(
            f"{len(table)} problem(s) in criteria catalogue {shown}:\n"
            + format_problems(table, "en", limit=len(table))
        )
    return cat


@functools.lru_cache(maxsize=1)
def _builtin() -> Catalogue:
    return _load(None)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue file (None = the built-in example).

    Raises
    ------
    CatalogueError
        Listing every problem found (file, code and field, what was found and
        what was expected).

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.version, cat.fiscal_year, len(cat.requirements), len(cat.activities)
    ('2553-example-1', 2553, 7, 10)
    """
    return _builtin() if path is None else _load(path)


def list_codes(kind: str = "activity", catalogue: Catalogue | None = None) -> list[str]:
    """Codes of one kind in ``catalogue`` (default the built-in example).

    Examples
    --------
    >>> len(list_codes()), list_codes("checklist")[:2]
    (10, ['CS1A.1', 'CS1A.2'])
    """
    return (catalogue or load_catalogue()).list_codes(kind)


def get_code(code: str, catalogue: Catalogue | None = None) -> Requirement | ActivityCode:
    """An activity code or requirement of ``catalogue`` (default the built-in example).

    Examples
    --------
    >>> get_code("CS1A").steps[0].th
    '1.1 ระบุพันธกิจของหน่วยงาน'
    """
    return (catalogue or load_catalogue()).get_code(code)
