"""The CS criteria catalogue's data model: requirements, activity codes, checklists, indicators.

The frozen records a validated catalogue is made of (:class:`Catalogue` and its
:class:`Requirement`, :class:`ActivityCode`, :class:`Step`, :class:`ChecklistItem`,
:class:`Indicator`, :class:`Scoring` / :class:`ScoringRule`), the metrics an indicator may
measure (:data:`KNOWN_METRICS`) and the catalogue's tables for reports.  Reading and
validating a catalogue file, and the scoring rules these records carry, are in
:mod:`pmqa_analysis.workspace.criteria` (:func:`~pmqa_analysis.workspace.criteria.load_catalogue`).

Examples
--------
>>> KNOWN_METRICS["top2_pct"].unit
'%'
>>> Scoring().met
ScoringRule(checklist_min=1.0, indicators='all')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd

from pmqa_analysis.core.errors import CatalogueError, InputError
from pmqa_analysis.core.labels import check_language

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
]


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


@dataclass(frozen=True)
class Catalogue:
    """A validated criteria catalogue (:mod:`pmqa_analysis.workspace.criteria` gives the rules)."""

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
        >>> from pmqa_analysis.workspace.criteria import load_catalogue
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
        >>> from pmqa_analysis.workspace.criteria import load_catalogue
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
        >>> from pmqa_analysis.workspace.criteria import load_catalogue
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
        >>> from pmqa_analysis.workspace.criteria import load_catalogue
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
        >>> from pmqa_analysis.workspace.criteria import load_catalogue
        >>> t = load_catalogue().activities_table("en")
        >>> t.loc[0, "steps"].splitlines()[0]
        "1.1 State the unit's missions"
        """
        lang = check_language(language)
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
