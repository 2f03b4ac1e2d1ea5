"""The made-up province of the sample workspace: the parts its generators share.

The roles that give the sample data its known structure (weak, improving and
under-sampled units, ...; see :mod:`pmqa_analysis.workspace.sample`), the service
recipient groups and channels, and the random draws that the survey
(:mod:`~pmqa_analysis.workspace.sample_survey`) and the office's records
(:mod:`~pmqa_analysis.workspace.sample_records`) both make: dates within a fiscal
year and FAKE personal data.  Everything here is data or a pure function of a
:class:`numpy.random.Generator`, so the draws, and the files, depend on the seed only.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "CHANNELS",
    "CHECKLIST_GAP",
    "DISSATISFIED_GROUP",
    "GROUPS",
    "IMPROVING",
    "LARGE_UNITS",
    "NO_ACTIVITIES",
    "UNDERSAMPLED",
    "WEAK",
    "fake_pii",
    "fy_dates",
    "write_csv",
]

# Roles by unit position (0-based); positions beyond n_units are ignored.
#: Weak units and their weak dimension (U04 staff, U08 process, U11 information).
WEAK = {3: "STAFF", 7: "PROCESS", 10: "INFO"}
#: Units improving year on year (U02, U06, U09).
IMPROVING = (1, 5, 8)
#: Units below their Yamane sample size in the current fiscal year (U05, U12).
UNDERSAMPLED = (4, 11)
#: Units without activities (U08, U12).
NO_ACTIVITIES = (7, 11)
#: A unit and activity code without checklist rows (U11, CS5).
CHECKLIST_GAP = (10, "CS5")
#: Units serving tens of thousands of people a year (U01, U04).
LARGE_UNITS = (0, 3)

#: code, Thai, English, kind, mission, unit position (None = every unit), share of responses
GROUPS = (
    ("G1", "ประชาชนทั่วไป", "General public", "recipient", "ให้บริการประชาชน", None, 0.42),
    ("G2", "ผู้ประกอบการ/ภาคเอกชน", "Entrepreneurs and businesses", "recipient",
     "ส่งเสริมเศรษฐกิจและการลงทุน", None, 0.16),
    ("G3", "เกษตรกรและวิสาหกิจชุมชน", "Farmers and community enterprises", "recipient",
     "ส่งเสริมอาชีพและรายได้", None, 0.14),
    ("G4", "ส่วนราชการและหน่วยงานภาครัฐ", "Government agencies", "stakeholder",
     "บูรณาการการทำงานของส่วนราชการ", None, 0.10),
    ("G5", "องค์กรปกครองส่วนท้องถิ่น", "Local administrative organisations", "stakeholder",
     "สนับสนุนการพัฒนาท้องถิ่น", None, 0.10),
    ("G6", "ภาคประชาสังคมและเครือข่าย", "Civil society and networks", "stakeholder",
     "สร้างการมีส่วนร่วมของภาคประชาชน", None, 0.08),
    ("G7", "ผู้สูงอายุและคนพิการ", "Older persons and persons with disabilities", "recipient",
     "คุ้มครองและพัฒนาคุณภาพชีวิตกลุ่มเปราะบาง", 9, 0.0),
)  # fmt: skip
#: The group less satisfied than the others.
DISSATISFIED_GROUP = "G2"

#: code, Thai, English, share of responses, share of complaints
CHANNELS = (
    ("WALKIN", "ติดต่อด้วยตนเอง", "Walk-in", 0.48, 0.10),
    ("PHONE", "โทรศัพท์/สายด่วน 1111", "Phone / hotline 1111", 0.15, 0.30),
    ("WEB", "เว็บไซต์/อีเมล", "Website / e-mail", 0.12, 0.15),
    ("SOCIAL", "LINE/Facebook", "LINE / Facebook", 0.17, 0.15),
    ("LETTER", "หนังสือ/จดหมาย", "Letter", 0.03, 0.05),
    ("DAMRONG", "ศูนย์ดำรงธรรมจังหวัด", "Provincial Damrongdhama Centre", 0.05, 0.20),
    ("BOX", "ตู้รับความคิดเห็น", "Suggestion box", 0.0, 0.05),
)


def _thai_id(rng: np.random.Generator) -> str:
    """A random 13-digit national ID with a valid check digit (FAKE)."""
    digits = [int(rng.integers(1, 9))] + [int(d) for d in rng.integers(0, 10, 11)]
    total = sum(d * w for d, w in zip(digits, range(13, 1, -1), strict=True))
    return "".join(map(str, digits)) + str((11 - total % 11) % 10)


def fake_pii(rng: np.random.Generator, k: int) -> str:
    """A sentence carrying FAKE personal data, for the masking step to remove.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream. Every call draws a valid-checksum national ID, a mobile
        number and an e-mail number, whichever kind is picked, so the stream does not
        depend on ``k``.
    k : int
        Picks the kind, cyclically: a phone number, a name with a national ID, an
        e-mail address, a hyphenated ID with a phone number.

    Returns
    -------
    str
        The sentence, with a leading space (it is appended to a comment).

    Examples
    --------
    >>> fake_pii(np.random.default_rng(1), 2).startswith(" อีเมล somchai.j")
    True
    """
    nid = _thai_id(rng)
    phone = f"08{rng.integers(0, 10)}-{rng.integers(100, 1000)}-{rng.integers(1000, 10000)}"
    kinds = (
        f" ติดต่อกลับได้ที่ {phone}",
        f" นายสมชาย ใจดี เลขบัตรประชาชน {nid}",
        f" อีเมล somchai.j{rng.integers(10, 100)}@example.com",
        f" (เลขบัตร {nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]} โทร {phone})",
    )
    return kinds[k % len(kinds)]


def fy_dates(rng: np.random.Generator, fy: int, n: int) -> list[_dt.date]:
    """``n`` random dates within fiscal year ``fy`` (BE), 1 Oct - 30 Sep.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    fy : int
        Fiscal year in BE.
    n : int
        Number of dates (uniform over the year's days, unsorted).

    Returns
    -------
    list of datetime.date

    Examples
    --------
    >>> d = fy_dates(np.random.default_rng(1), 2567, 200)
    >>> min(d) >= _dt.date(2023, 10, 1), max(d) <= _dt.date(2024, 9, 30)
    (True, True)
    """
    start = _dt.date(fy - 544, 10, 1)
    days = (_dt.date(fy - 543, 10, 1) - start).days
    return [start + _dt.timedelta(days=int(x)) for x in rng.integers(0, days, n)]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a sample table as the templates are: CSV, UTF-8 with BOM, LF line ends.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (its index is not written).
    path : Path
        The file to write (replaced).
    """
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
