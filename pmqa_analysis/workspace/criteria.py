"""The CS criteria catalogue as data: requirements, activity codes, checklists, indicators.

A catalogue is a TOML file (the built-in one is the *example* split of PMQA
category 3 into 10 activity codes, ``pmqa_analysis/data/catalogue_example.toml``;
its header documents the format). A province replaces it with its own file
for another fiscal year or another split; every report names the catalogue
and version it used. Loading validates the whole file and reports every
problem at once (:class:`~pmqa_analysis.core.errors.CatalogueError`).

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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import pandas as pd

from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.core.problems import ProblemLog, format_problems

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


class MetricInfo(NamedTuple):
    """What a metric measures (Thai, English) and its unit."""

    th: str
    en: str
    unit: str


KNOWN_METRICS: Mapping[str, MetricInfo] = MappingProxyType(
    {
        "missions_mapped_pct": MetricInfo(
            "ร้อยละของพันธกิจที่ระบุกลุ่มผู้รับบริการอย่างน้อย 1 กลุ่ม",
            "% of the unit's missions mapped to at least one group (CS1)",
            "%",
        ),
        "groups_with_responses_pct": MetricInfo(
            "ร้อยละของกลุ่มที่ลงทะเบียนซึ่งมีผู้ตอบแบบสำรวจ",
            "% of registered groups with survey responses (CS1B/CS6)",
            "%",
        ),
        "channels_per_group_min": MetricInfo(
            "จำนวนช่องทางการรับฟังน้อยที่สุดของกลุ่มใด ๆ",
            "fewest listening channels of any group (CS2A)",
            "channels",
        ),
        "channel_input_used": MetricInfo(
            "มีการนับประเด็นข้อคิดเห็นจากช่องทาง (1 = มี, 0 = ไม่มี)",
            "comment themes from the channels counted (CS2B; 1 = yes, 0 = no)",
            "1/0",
        ),
        "complaints_logged": MetricInfo(
            "จำนวนข้อร้องเรียนที่บันทึก", "number of complaints recorded (CS3A)", "complaints"
        ),
        "complaints_within_standard_pct": MetricInfo(
            "ร้อยละของข้อร้องเรียนที่แจ้งผลภายในมาตรฐานเวลา",
            "% of complaints answered within the time standard (CS3A/B)",
            "%",
        ),
        "complaints_analysed": MetricInfo(
            "ข้อร้องเรียนได้รับการจัดประเภท (1 = อย่างน้อยร้อยละ 90)",
            "complaints categorised (CS3B; 1 if a category is present for >= 90 %)",
            "1/0",
        ),
        "service_within_standard_pct": MetricInfo(
            "ร้อยละของรายการที่เสร็จภายในเวลามาตรฐาน",
            "% of transactions done within the published time (CS4)",
            "%",
        ),
        "services_published_pct": MetricInfo(
            "ร้อยละของงานบริการที่ประกาศมาตรฐานแล้ว",
            "% of services with a published standard (CS4)",
            "%",
        ),
        "activities_count": MetricInfo(
            "จำนวนกิจกรรมสร้างความสัมพันธ์", "relationship activities held (CS5)", "activities"
        ),
        "activity_groups_covered_pct": MetricInfo(
            "ร้อยละของกลุ่มที่ได้เข้าร่วมกิจกรรม", "% of groups reached by an activity (CS5)", "%"
        ),
        "top2_pct": MetricInfo("ร้อยละผู้พึงพอใจ (สองระดับบน)", "% satisfied, top-2-box (CS6)", "%"),
        "mean_pct": MetricInfo(
            "ค่าเฉลี่ยความพึงพอใจคิดเป็นร้อยละ", "mean satisfaction as % of the maximum (CS6)", "%"
        ),
        "bottom2_pct": MetricInfo(
            "ร้อยละผู้ไม่พึงพอใจ (สองระดับล่าง; ยิ่งน้อยยิ่งดี)",
            "% dissatisfied, bottom-2-box (CS6; lower is better)",
            "%",
        ),
        "sample_reached": MetricInfo(
            "จำนวนผู้ตอบถึงขนาดตัวอย่าง (1 = ถึง)", "required sample size reached (CS6; 1/0)", "1/0"
        ),
        "improved_items_pct": MetricInfo(
            "ร้อยละของข้อคำถามที่ค่าเฉลี่ยสูงขึ้นจากปีก่อน",
            "% of items whose mean rose year on year (CS7)",
            "%",
        ),
        "plan_items_done_pct": MetricInfo(
            "ร้อยละของรายการในแผนปรับปรุงที่ดำเนินการแล้ว",
            "% of improvement-plan items done (CS7)",
            "%",
        ),
    }
)

DIRECTIONS = (">=", "<=")
INDICATOR_RULES = ("all", "any", "none")
_KINDS = ("activity", "requirement", "checklist", "indicator")


@dataclass(frozen=True)
class Requirement:
    """One requirement (CS1 ... CS7)."""

    code: str
    title_th: str
    title_en: str
    description_th: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class Step:
    """One step of an activity's framework."""

    th: str
    en: str


@dataclass(frozen=True)
class ChecklistItem:
    """One piece of evidence expected for an activity code (e.g. ``CS1A.1``)."""

    code: str
    activity: str
    th: str
    en: str


@dataclass(frozen=True)
class Indicator:
    """A measurable target for an activity code.

    Examples
    --------
    >>> ind = Indicator("X.K1", "CS6", "bottom2_pct", 10.0, "<=", "th", "en")
    >>> ind.meets(8.0), ind.meets(12.5), ind.meets(float("nan"))
    (True, False, False)
    """

    code: str
    activity: str
    metric: str
    target: float
    direction: str
    th: str
    en: str

    def meets(self, value: float | None) -> bool:
        """True when ``value`` meets the target; a missing value never does."""
        if value is None or value != value:
            return False
        return value >= self.target if self.direction == ">=" else value <= self.target


@dataclass(frozen=True)
class ScoringRule:
    """``checklist_min`` (share 0-1) and ``indicators`` (``all``/``any``/``none``)."""

    checklist_min: float
    indicators: str


@dataclass(frozen=True)
class Scoring:
    """The rules that give ``met`` and ``partly`` (else ``not_met``)."""

    met: ScoringRule = ScoringRule(1.0, "all")
    partly: ScoringRule = ScoringRule(0.5, "any")


@dataclass(frozen=True)
class ActivityCode:
    """One activity code (e.g. ``CS1A``) with its steps, checklist, indicators, scoring."""

    code: str
    requirement: str
    title_th: str
    title_en: str
    steps: tuple[Step, ...]
    checklist: tuple[ChecklistItem, ...]
    indicators: tuple[Indicator, ...]
    scoring: Scoring


def _key(code: str) -> str:
    return re.sub(r"\s+", "", str(code)).upper()


def _lang(language: str) -> str:
    if language not in ("th", "en"):
        raise InputError(f"language {language!r} is not supported: use 'th' or 'en'")
    return language


@dataclass(frozen=True)
class Catalogue:
    """A validated criteria catalogue (see the module docstring for the rules)."""

    name: str
    version: str
    source: str
    fiscal_year: int | None
    note: str
    requirements: tuple[Requirement, ...]
    activities: tuple[ActivityCode, ...]
    scoring: Scoring = Scoring()
    path: str = ""

    def list_codes(self, kind: str = "activity") -> list[str]:
        """Codes of one kind: ``activity``, ``requirement``, ``checklist``, ``indicator``.

        Examples
        --------
        >>> load_catalogue().list_codes("requirement")
        ['CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6', 'CS7']
        """
        if kind == "activity":
            return [a.code for a in self.activities]
        if kind == "requirement":
            return [r.code for r in self.requirements]
        if kind == "checklist":
            return [c.code for a in self.activities for c in a.checklist]
        if kind == "indicator":
            return [i.code for a in self.activities for i in a.indicators]
        raise InputError(f"unknown kind {kind!r}: expected one of {', '.join(_KINDS)}")

    def get_code(self, code: str) -> Requirement | ActivityCode:
        """An activity code or requirement; spaces and case are ignored (``"cs 1 a"``).

        Examples
        --------
        >>> load_catalogue().get_code("CS6").title_en
        'Satisfaction and dissatisfaction measurement'
        >>> load_catalogue().get_code("CS9")
        Traceback (most recent call last):
        ...
        pmqa_analysis.core.errors.CatalogueError: unknown code 'CS9' ...
        """
        wanted = _key(code)
        for act in self.activities:
            if _key(act.code) == wanted:
                return act
        for req in self.requirements:
            if _key(req.code) == wanted:
                return req
        raise CatalogueError(
            f"unknown code {code!r} in catalogue {self.name!r} (version {self.version}); "
            f"known activity codes: {', '.join(self.list_codes('activity'))}; requirements: "
            f"{', '.join(self.list_codes('requirement'))}"
        )

    def checklist_table(self) -> pd.DataFrame:
        """One row per checklist item: ``requirement, activity_code, check_code, order,
        text_th, text_en``.

        Examples
        --------
        >>> load_catalogue().checklist_table().iloc[0][["activity_code", "check_code"]].tolist()
        ['CS1A', 'CS1A.1']
        """
        rows = [
            (a.requirement, a.code, c.code, i, c.th, c.en)
            for a in self.activities
            for i, c in enumerate(a.checklist, start=1)
        ]
        cols = ["requirement", "activity_code", "check_code", "order", "text_th", "text_en"]
        return pd.DataFrame(rows, columns=cols).astype({"order": "int64"})

    def indicators_table(self) -> pd.DataFrame:
        """One row per indicator: ``requirement, activity_code, indicator_code, metric,
        target, direction, unit, text_th, text_en``.

        Examples
        --------
        >>> t = load_catalogue().indicators_table()
        >>> t.loc[t.metric == "bottom2_pct", ["activity_code", "target", "direction"]].values
        array([['CS6', 10.0, '<=']], dtype=object)
        """
        rows = [
            (a.requirement, a.code, i.code, i.metric, i.target, i.direction,
             KNOWN_METRICS[i.metric].unit, i.th, i.en)
            for a in self.activities
            for i in a.indicators
        ]  # fmt: skip
        cols = ["requirement", "activity_code", "indicator_code", "metric", "target",
                "direction", "unit", "text_th", "text_en"]  # fmt: skip
        return pd.DataFrame(rows, columns=cols).astype({"target": "float64"})

    def activities_table(self, language: str = "th") -> pd.DataFrame:
        """One row per activity code: ``requirement, requirement_title, activity_code,
        title, steps`` (one per line), ``n_checklist, n_indicators``.

        Examples
        --------
        >>> t = load_catalogue().activities_table("en")
        >>> t.loc[0, "steps"].splitlines()[0]
        "1.1 State the unit's missions"
        """
        lang = _lang(language)
        req_title = {r.code: getattr(r, f"title_{lang}") for r in self.requirements}
        rows = [
            (a.requirement, req_title[a.requirement], a.code, getattr(a, f"title_{lang}"),
             "\n".join(getattr(s, lang) for s in a.steps), len(a.checklist), len(a.indicators))
            for a in self.activities
        ]  # fmt: skip
        cols = ["requirement", "requirement_title", "activity_code", "title", "steps",
                "n_checklist", "n_indicators"]  # fmt: skip
        return pd.DataFrame(rows, columns=cols).astype(
            {"n_checklist": "int64", "n_indicators": "int64"}
        )


# ------------------------------------------------------------------------ parsing


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
    return log.table(_lang(language))


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
