"""The headline sentences a committee reads first, each written from the numbers.

:func:`unit_headline` gives a unit report's opening block (overall satisfaction against the
target, the scorecard's counts, the sample, the strongest and weakest dimensions, the
improvement priorities); :func:`province_headline` the index page's (how many units
reached the target, which are under-sampled, which failed to run).  Thai first; English
with ``language="en"``.  The functions take plain values (no run folder, no pandas), so
each sentence is tested against the numbers it is written from.

Examples
--------
>>> facts = UnitFacts(top2_pct=46.0, mean=3.45, target=80, scale_max=5,
...                   counts={"met": 6, "partly": 2, "not_met": 1, "no_data": 1},
...                   n=139, required_n=299)
>>> unit_headline(facts, "en")[0]
'Overall satisfaction: 46.0% top-2-box against an 80% target (34.0 points short); mean 3.45 of 5.'
>>> unit_headline(facts, "en")[2]
'Sample: 139 respondents of the 299 required (160 short): read the figures with care.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["UnitFacts", "UnitLine", "province_headline", "unit_headline"]

_STATUS_WORDS = {
    "th": {"met": "ผ่าน", "partly": "ผ่านบางส่วน", "not_met": "ไม่ผ่าน", "no_data": "ไม่มีข้อมูล"},
    "en": {"met": "met", "partly": "partly met", "not_met": "not met", "no_data": "no data"},
}


@dataclass(frozen=True)
class UnitFacts:
    """The numbers a unit's headline is written from.

    ``top2_pct`` / ``mean`` are None when suppressed (fewer respondents than ``min_cell``);
    ``strongest`` / ``weakest`` are (dimension name, mean); ``priorities`` are
    (activity code, title, status) of the codes not met or partly met, in the order to
    address them; ``weak_items`` (item wording, mean) the lowest items.
    """

    top2_pct: float | None
    mean: float | None
    target: float
    scale_max: float
    counts: Mapping[str, int]
    n: int
    required_n: int
    band: str = ""
    min_cell: int = 5
    strongest: tuple[str, float] | None = None
    weakest: tuple[str, float] | None = None
    priorities: Sequence[tuple[str, str, str]] = field(default_factory=tuple)
    weak_items: Sequence[tuple[str, float]] = field(default_factory=tuple)


def _satisfaction(f: UnitFacts, th: bool) -> str:
    if f.top2_pct is None:
        return (
            f"ความพึงพอใจโดยรวม: ไม่แสดงผล เพราะมีผู้ตอบน้อยกว่า {f.min_cell} ราย"
            if th
            else f"Overall satisfaction: not shown (fewer than {f.min_cell} respondents)."
        )
    gap = f.target - f.top2_pct
    mean = "" if f.mean is None else f"{f.mean:.2f}"
    if th:
        verdict = (
            f"ถึงเป้าหมายร้อยละ {f.target:g}"
            if gap <= 0
            else f"ต่ำกว่าเป้าหมายร้อยละ {f.target:g} อยู่ {gap:.1f} จุด"
        )
        band = f" ระดับ{f.band}" if f.band else ""
        tail = f"; ค่าเฉลี่ย {mean} จาก {f.scale_max:g}{band}" if mean else ""
        return (
            f"ความพึงพอใจโดยรวม: ผู้ตอบพึงพอใจระดับมากถึงมากที่สุด (top-2-box) "
            f"ร้อยละ {f.top2_pct:.1f} {verdict}{tail}"
        )
    verdict = "meeting it" if gap <= 0 else f"{gap:.1f} points short"
    tail = f"; mean {mean} of {f.scale_max:g}" if mean else ""
    return (
        f"Overall satisfaction: {f.top2_pct:.1f}% top-2-box against {_article(f.target)} "
        f"{f.target:g}% target ({verdict}){tail}."
    )


def _article(number: float) -> str:
    """ "an" before a number said with a vowel first (8, 11, 18, 80...), else "a".

    >>> _article(80), _article(11), _article(70)
    ('an', 'an', 'a')
    """
    text = f"{number:g}"
    return "an" if text.startswith("8") or text.split(".")[0] in ("11", "18") else "a"


def _scorecard(f: UnitFacts, th: bool) -> str:
    c = {k: int(f.counts.get(k, 0)) for k in ("met", "partly", "not_met", "no_data")}
    total = sum(c.values())
    if not total:
        return "ผลตามเกณฑ์: ไม่มีผลการประเมิน" if th else "Scorecard: none was produced."
    if th:
        return (
            f"ผลตามเกณฑ์ (scorecard): ผ่าน {c['met']} จาก {total} รหัสกิจกรรม, "
            f"ผ่านบางส่วน {c['partly']}, ไม่ผ่าน {c['not_met']}, ไม่มีข้อมูล {c['no_data']}"
        )
    return (
        f"Scorecard: {c['met']} of {total} activity codes met, {c['partly']} partly met, "
        f"{c['not_met']} not met, {c['no_data']} with no data."
    )


def _sample(f: UnitFacts, th: bool) -> str:
    short = max(f.required_n - f.n, 0)
    if th:
        head = f"ขนาดตัวอย่าง: ผู้ตอบ {f.n:,} ราย จากที่ต้องการ {f.required_n:,} ราย"
        return head + (" เพียงพอ" if not short else
                       f" ยังขาดอีก {short:,} ราย ผลควรตีความอย่างระมัดระวัง")  # fmt: skip
    head = f"Sample: {f.n:,} respondents of the {f.required_n:,} required"
    return head + (": adequate." if not short else
                   f" ({short:,} short): read the figures with care.")  # fmt: skip


def _dimensions(f: UnitFacts, th: bool) -> str | None:
    if f.strongest is None or f.weakest is None:
        return None
    (s_name, s_mean), (w_name, w_mean) = f.strongest, f.weakest
    if th:
        return (
            f"ด้านที่ได้คะแนนสูงสุด: {s_name} (ค่าเฉลี่ย {s_mean:.2f}); ต่ำสุด: {w_name} (ค่าเฉลี่ย {w_mean:.2f})"
        )
    return (
        f"Strongest dimension: {s_name} (mean {s_mean:.2f}); weakest: {w_name} (mean {w_mean:.2f})."
    )


def _priorities(f: UnitFacts, th: bool) -> str:
    words = _STATUS_WORDS["th" if th else "en"]
    codes = [
        f"{code} {title} ({words.get(status, status)})" for code, title, status in f.priorities
    ]
    items = [f"{name} ({mean:.2f})" for name, mean in f.weak_items]
    if th:
        parts = []
        if codes:
            parts.append("รหัสกิจกรรม " + ", ".join(codes))
        if items:
            parts.append("ข้อคำถามคะแนนต่ำสุด " + ", ".join(items))
        if not parts:
            return "ประเด็นที่ควรปรับปรุงก่อน: ไม่มี ผ่านทุกรหัสกิจกรรม"
        return "ประเด็นที่ควรปรับปรุงก่อน: " + "; ".join(parts)
    parts = []
    if codes:
        parts.append("activity codes " + ", ".join(codes))
    if items:
        parts.append("lowest items " + ", ".join(items))
    if not parts:
        return "Improvement priorities: none, every activity code is met."
    return "Improvement priorities: " + "; ".join(parts) + "."


def unit_headline(facts: UnitFacts, language: str = "th") -> list[str]:
    """The unit report's headline sentences, in order, in the report language.

    Satisfaction against the target, the scorecard's counts, the sample, the strongest
    and weakest dimensions (when there are any), the improvement priorities.

    Examples
    --------
    >>> f = UnitFacts(top2_pct=84.7, mean=4.25, target=80, scale_max=5, band="มากที่สุด",
    ...               counts={"met": 10}, n=403, required_n=396,
    ...               strongest=("ด้านเจ้าหน้าที่", 4.25), weakest=("ด้านสถานที่", 3.72))
    >>> for line in unit_headline(f):  # doctest: +NORMALIZE_WHITESPACE
    ...     print(line)
    ความพึงพอใจโดยรวม: ผู้ตอบพึงพอใจระดับมากถึงมากที่สุด (top-2-box) ร้อยละ 84.7
      ถึงเป้าหมายร้อยละ 80; ค่าเฉลี่ย 4.25 จาก 5 ระดับมากที่สุด
    ผลตามเกณฑ์ (scorecard): ผ่าน 10 จาก 10 รหัสกิจกรรม, ผ่านบางส่วน 0, ไม่ผ่าน 0, ไม่มีข้อมูล 0
    ขนาดตัวอย่าง: ผู้ตอบ 403 ราย จากที่ต้องการ 396 ราย เพียงพอ
    ด้านที่ได้คะแนนสูงสุด: ด้านเจ้าหน้าที่ (ค่าเฉลี่ย 4.25); ต่ำสุด: ด้านสถานที่ (ค่าเฉลี่ย 3.72)
    ประเด็นที่ควรปรับปรุงก่อน: ไม่มี ผ่านทุกรหัสกิจกรรม
    """
    th = language != "en"
    lines = [_satisfaction(facts, th), _scorecard(facts, th), _sample(facts, th)]
    dims = _dimensions(facts, th)
    if dims:
        lines.append(dims)
    lines.append(_priorities(facts, th))
    return lines


@dataclass(frozen=True)
class UnitLine:
    """One unit as the index sees it: its name, satisfaction, sample and run status."""

    code: str
    name: str
    top2_pct: float | None
    reached: bool | None  # sample size reached (None: unknown)
    failed: bool = False


#: at most this many units are named in one sentence (the rest are counted)
_MAX_NAMED = 5


def _names(units: Sequence[UnitLine], th: bool = True) -> str:
    shown = [f"{u.code} {u.name}".strip() if u.name != u.code else u.code
             for u in units[:_MAX_NAMED]]  # fmt: skip
    rest = len(units) - len(shown)
    if rest > 0:
        shown.append(f"และอีก {rest} หน่วยงาน" if th else f"and {rest} more")
    return ", ".join(shown)


def province_headline(
    units: Sequence[UnitLine],
    target: float | None,
    language: str = "th",
    *,
    overview_failed: bool = False,
) -> list[str]:
    """The index page's headline: target reached k of n, under-sampled units, failed runs.

    Examples
    --------
    >>> units = [UnitLine("U01", "A", 84.0, True), UnitLine("U02", "B", 46.0, False),
    ...          UnitLine("U03", "C", None, None, failed=True)]
    >>> for line in province_headline(units, 80, "en"):
    ...     print(line)
    1 of 3 units reached the 80% top-2-box target; reached it: U01 A; no figures: U03 C.
    Under-sampled (read with care): 1 unit, U02 B.
    Failed to run: 1 unit, U03 C (no report; see the error column).

    A unit that reached the target on too small a sample is said so where it is counted:

    >>> print(province_headline([UnitLine("U05", "E", 81.1, False)], 80, "en")[0])
    1 of 1 units reached the 80% top-2-box target (1 of them on too small a sample: U05 E).
    >>> two = [UnitLine("U05", "E", 81.1, False), UnitLine("U06", "F", 70.0, True)]
    >>> print(province_headline(two, 80, "en")[0])
    1 of 2 units reached the 80% top-2-box target (1 of them on too small a sample); \
reached it: U05 E.
    """
    th = language != "en"
    n = len(units)
    lines: list[str] = []
    if target is not None:
        hit = [u for u in units if u.top2_pct is not None and u.top2_pct >= target]
        below = [u for u in units if u.top2_pct is not None and u.top2_pct < target]
        blank = [u for u in units if u.top2_pct is None]
        hit_short = [u for u in hit if u.reached is False]
        # name the smaller group: a long list of names helps nobody
        named = hit if len(hit) <= len(below) else below
        if th:
            text = (f"ถึงเป้าหมายความพึงพอใจ (top-2-box ร้อยละ {target:g} ขึ้นไป) "
                    f"{len(hit)} จาก {n} หน่วยงาน")  # fmt: skip
            if hit_short:
                text += f" (ในจำนวนนี้ขนาดตัวอย่างไม่พอ {len(hit_short)} หน่วยงาน"
                text += ")" if named is hit else f": {_names(hit_short, th)})"
            if named:
                which = "ที่ถึงเป้าหมาย" if named is hit else "ที่ยังต่ำกว่าเป้าหมาย"
                text += f"; หน่วยงาน{which}: {_names(named, th)}"
            text += f"; ไม่มีตัวเลข: {_names(blank, th)}" if blank else ""
        else:
            text = f"{len(hit)} of {n} units reached the {target:g}% top-2-box target"
            if hit_short:
                text += f" ({len(hit_short)} of them on too small a sample"
                text += ")" if named is hit else f": {_names(hit_short, th)})"
            if named:
                which = "reached it" if named is hit else "below it"
                text += f"; {which}: {_names(named, th)}"
            text += f"; no figures: {_names(blank, th)}" if blank else ""
            text += "."
        lines.append(text)
    short = [u for u in units if u.reached is False]
    if th:
        lines.append(
            f"ขนาดตัวอย่างไม่พอ (ควรตีความอย่างระมัดระวัง): {len(short)} หน่วยงาน คือ {_names(short, th)}"
            if short else "ขนาดตัวอย่างเพียงพอทุกหน่วยงาน"
        )  # fmt: skip
    else:
        lines.append(
            f"Under-sampled (read with care): {len(short)} unit{'s' if len(short) > 1 else ''}, "
            f"{_names(short, th)}." if short else "Every unit reached its required sample size."
        )  # fmt: skip
    failed = [u for u in units if u.failed]
    if th:
        lines.append(
            f"ประมวลผลไม่สำเร็จ: {len(failed)} หน่วยงาน คือ {_names(failed, th)} "
            "(ไม่มีรายงาน ดูสาเหตุในคอลัมน์ข้อผิดพลาด)" if failed
            else f"ประมวลผลสำเร็จทุกหน่วยงาน ({n} หน่วยงาน)"
        )  # fmt: skip
    else:
        lines.append(
            f"Failed to run: {len(failed)} unit{'s' if len(failed) > 1 else ''}, "
            f"{_names(failed, th)} (no report; see the error column)." if failed
            else f"Every unit's report was produced ({n} units)."
        )  # fmt: skip
    if overview_failed:
        lines.append(
            "ภาพรวมจังหวัดประมวลผลไม่สำเร็จ (ดูรายละเอียดใน manifest.json)"
            if th
            else "The province overview failed to run (see manifest.json)."
        )
    return lines
