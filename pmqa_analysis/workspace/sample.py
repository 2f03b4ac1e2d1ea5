"""A seeded, realistic sample workspace (and a deliberately broken copy of it).

:func:`make_sample_workspace` writes one province's filled-in templates and its
``settings.toml``, following ``docs/data_model.md``: units, groups, channels, a 20-item
questionnaire, three fiscal years of Google-Forms-like responses, complaints (CS3), service
standards and log (CS4), activities (CS5) and the monitoring checklist.  The same seed gives
byte-identical files.  The data carry a known structure, seed-independent, that the reports
should find (unit codes for the default 12 units):

- weaker units U04 (staff), U08 (process) and U11 (information/channels), one weak dimension
  each, with slower complaint handling, more service-time overruns and more ``not_done``
  checklist items;
- units U02, U06 and U09 improving year on year;
- group G2 (entrepreneurs) less satisfied than the others; facilities the lowest dimension;
- U05 and U12 below their Yamane sample size in the current fiscal year (every other unit
  reaches it, so ``respondents_per_unit_year`` applies to earlier years and to those two);
- no activities for U08 and U12; no checklist rows for activity CS5 in U11;
- a few comments carrying FAKE personal data (valid-checksum national IDs, mobile numbers,
  e-mails, "นายสมชาย ใจดี") for the masking step to remove.

:func:`make_broken_workspace` copies a workspace and seeds known problems into it, returning
the problems table that validation is expected to report.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     ws = make_sample_workspace(d, n_units=4, reach_sample_size=False)
...     sorted(p.name for p in ws.iterdir())[:4]
['activities.csv', 'assignments.csv', 'channels.csv', 'checklist.csv']
"""

from __future__ import annotations

import datetime as _dt
import math
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from pmqa_analysis.core.errors import InputError
from pmqa_analysis.core.thai import THAI_MONTHS_ABBR
from pmqa_analysis.workspace.config import Settings, settings_toml

__all__ = [
    "cache_dir",
    "make_broken_workspace",
    "make_sample_workspace",
    "sample_workspace",
]


_UNITS = (
    ("สำนักงานจังหวัด", "Provincial Office"),
    ("สำนักงานพัฒนาชุมชนจังหวัด", "Provincial Community Development Office"),
    ("สำนักงานเกษตรจังหวัด", "Provincial Agricultural Extension Office"),
    ("สำนักงานสาธารณสุขจังหวัด", "Provincial Public Health Office"),
    ("ที่ทำการปกครองจังหวัด", "Provincial Administration Office"),
    ("สำนักงานพาณิชย์จังหวัด", "Provincial Commerce Office"),
    ("สำนักงานแรงงานจังหวัด", "Provincial Labour Office"),
    ("สำนักงานคลังจังหวัด", "Provincial Comptroller's Office"),
    ("สำนักงานท่องเที่ยวและกีฬาจังหวัด", "Provincial Tourism and Sports Office"),
    (
        "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด",
        "Provincial Social Development and Human Security Office",
    ),
    (
        "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด",
        "Provincial Natural Resources and Environment Office",
    ),
    ("สำนักงานวัฒนธรรมจังหวัด", "Provincial Cultural Office"),
    ("สำนักงานจัดหางานจังหวัด", "Provincial Employment Office"),
    ("สำนักงานสถิติจังหวัด", "Provincial Statistical Office"),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด", "Provincial Local Administration Office"),
    ("สำนักงานประมงจังหวัด", "Provincial Fisheries Office"),
)
# Roles by unit position (0-based); positions beyond n_units are ignored.
_WEAK = {3: "STAFF", 7: "PROCESS", 10: "INFO"}
_IMPROVING = (1, 5, 8)
_UNDERSAMPLED = (4, 11)
_NO_ACTIVITIES = (7, 11)
_CHECKLIST_GAP = (10, "CS5")
_LARGE_UNITS = (0, 3)

# code, Thai, English, kind, mission, unit position ("" = every unit), share of responses
_GROUPS = (
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
_DISSATISFIED_GROUP = "G2"

_CHANNELS = (
    ("WALKIN", "ติดต่อด้วยตนเอง", "Walk-in", 0.48, 0.10),
    ("PHONE", "โทรศัพท์/สายด่วน 1111", "Phone / hotline 1111", 0.15, 0.30),
    ("WEB", "เว็บไซต์/อีเมล", "Website / e-mail", 0.12, 0.15),
    ("SOCIAL", "LINE/Facebook", "LINE / Facebook", 0.17, 0.15),
    ("LETTER", "หนังสือ/จดหมาย", "Letter", 0.03, 0.05),
    ("DAMRONG", "ศูนย์ดำรงธรรมจังหวัด", "Provincial Damrongdhama Centre", 0.05, 0.20),
    ("BOX", "ตู้รับความคิดเห็น", "Suggestion box", 0.0, 0.05),
)  # code, Thai, English, share of responses, share of complaints

_DIMENSIONS = (
    ("PROCESS", "ด้านกระบวนการ/ขั้นตอนการให้บริการ", "Process and steps", 0.0),
    ("STAFF", "ด้านเจ้าหน้าที่ผู้ให้บริการ", "Staff", 0.15),
    ("FACILITY", "ด้านสิ่งอำนวยความสะดวก", "Facilities", -0.40),
    ("INFO", "ด้านข้อมูลข่าวสารและช่องทางการให้บริการ", "Information and channels", -0.05),
    ("QUALITY", "ด้านคุณภาพการให้บริการ", "Service quality and outcome", 0.05),
)
# item Thai, item English, reverse-coded; four items per dimension, in dimension order
_ITEMS = (
    ("ขั้นตอนการให้บริการไม่ยุ่งยากซับซ้อน", "The service steps are simple", False),
    ("ขั้นตอนการให้บริการมีความชัดเจน เข้าใจง่าย", "The steps are clear and easy to follow", False),
    ("ต้องรอนานเกินไปกว่าจะได้รับบริการ", "I had to wait too long to be served", True),
    ("ให้บริการตามลำดับก่อนหลังอย่างเป็นธรรม", "People are served fairly, in order", False),
    ("เจ้าหน้าที่พูดจาสุภาพ เป็นมิตร", "Staff are polite and friendly", False),
    ("เจ้าหน้าที่มีความรู้ ตอบข้อซักถามได้ชัดเจน", "Staff know their work and answer clearly", False),
    ("เจ้าหน้าที่เต็มใจและกระตือรือร้นในการให้บริการ", "Staff are willing and eager to help", False),
    ("เจ้าหน้าที่ให้บริการอย่างเท่าเทียม ไม่เลือกปฏิบัติ", "Staff treat everyone equally", False),
    ("มีที่จอดรถเพียงพอ", "There is enough parking", False),
    ("มีป้ายบอกทางและจุดให้บริการชัดเจน", "Signs and service points are clear", False),
    ("สถานที่สะอาด มีที่นั่งรอและห้องน้ำเพียงพอ", "The place is clean, with seats and toilets", False),
    ("อุปกรณ์และเครื่องมือพร้อมใช้งาน", "Equipment is in working order", False),
    ("มีช่องทางการให้บริการหลากหลาย รวมถึงออนไลน์", "There are several channels, online too", False),
    ("มีการเผยแพร่ข้อมูลเกี่ยวกับบริการชัดเจน ทันสมัย", "Service information is clear and current", False),
    ("ติดต่อสอบถามทางโทรศัพท์หรือออนไลน์ได้สะดวก", "It is easy to ask by phone or online", False),
    ("หาข้อมูลเกี่ยวกับบริการได้ยาก", "Information about the service is hard to find", True),
    ("ได้รับบริการที่ถูกต้อง ครบถ้วน", "The service was correct and complete", False),
    ("ได้รับบริการตรงตามความต้องการ", "The service met my needs", False),
    ("ได้รับบริการภายในระยะเวลาที่ประกาศไว้", "The service was done within the published time", False),
    ("ความพึงพอใจโดยรวมต่อการให้บริการ", "Overall satisfaction with the service", False),
)  # fmt: skip
_LABELS = ("น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด")  # scores 1..5 of th5
_MISSING_LABEL = "ไม่มีความเห็น"

# Comment phrase banks per dimension: (praise, improve, dissatisfied)
_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "PROCESS": (
        ("บริการรวดเร็ว ไม่ต้องรอนาน", "ขั้นตอนไม่ยุ่งยาก สะดวกดี"),
        ("ควรลดขั้นตอนและเอกสารที่ต้องใช้", "ควรเพิ่มช่องบริการช่วงเวลาเร่งด่วน จะได้ไม่รอนาน"),
        ("รอนานมากกว่าจะได้รับบริการ", "ขั้นตอนยุ่งยาก ต้องติดต่อหลายจุด", "เอกสารเยอะเกินไป"),
    ),
    "STAFF": (
        ("เจ้าหน้าที่สุภาพ ยิ้มแย้ม ให้คำแนะนำดี", "เจ้าหน้าที่เต็มใจช่วยเหลือ ประทับใจมาก"),
        ("เจ้าหน้าที่ควรอธิบายให้ชัดเจนกว่านี้", "ควรเพิ่มจำนวนเจ้าหน้าที่"),
        ("เจ้าหน้าที่พูดจาไม่สุภาพ", "เจ้าหน้าที่ไม่อยู่ที่โต๊ะ ต้องรอนาน"),
    ),
    "FACILITY": (
        ("สถานที่สะอาด มีที่นั่งรอเพียงพอ", "มีน้ำดื่มบริการ"),
        ("ควรเพิ่มที่จอดรถ", "ควรทำป้ายบอกทางให้ชัดเจนกว่านี้", "ห้องน้ำควรสะอาดกว่านี้"),
        ("ที่จอดรถไม่พอ", "หาป้ายบอกทางไม่เจอ", "ห้องน้ำไม่สะอาด"),
    ),
    "INFO": (
        ("มีบริการออนไลน์ สะดวกมาก", "ติดตามข่าวสารทาง LINE ได้ง่าย"),
        ("อยากให้มีบริการออนไลน์มากขึ้น", "ควรประชาสัมพันธ์ข้อมูลทางเว็บไซต์และ Facebook"),
        ("โทรติดต่อไม่ค่อยได้", "ข้อมูลบนเว็บไซต์ไม่อัปเดต"),
    ),
    "QUALITY": (
        ("ได้รับบริการครบถ้วน ถูกต้อง", "แก้ปัญหาได้ตรงจุด"),
        ("ควรแจ้งผลการดำเนินการให้ทราบเป็นระยะ",),
        ("ต้องกลับมาติดต่อหลายครั้งกว่าจะเสร็จ",),
    ),
}
_COMPLAINT_CATEGORIES = (
    ("ความล่าช้าในการให้บริการ", "ล่าช้า รอนานเกินกว่าที่ประกาศไว้"),
    ("พฤติกรรมเจ้าหน้าที่", "เจ้าหน้าที่พูดจาไม่สุภาพ"),
    ("สถานที่และสิ่งอำนวยความสะดวก", "ที่จอดรถไม่เพียงพอ ห้องน้ำชำรุด"),
    ("ขั้นตอนและเอกสาร", "ขั้นตอนยุ่งยาก เอกสารเยอะ"),
    ("ข้อมูลข่าวสาร", "ข้อมูลที่ได้รับไม่ตรงกัน"),
    ("ขอความช่วยเหลือ/ร้องทุกข์", "ขอความช่วยเหลือเรื่องความเดือดร้อน"),
)
# Thai, English, standard minutes
_SERVICES = (
    ("ขอข้อมูลข่าวสารของราชการ", "Request for official information", 30),
    ("รับเรื่องร้องเรียน/ร้องทุกข์", "Receiving complaints", 15),
    ("ขอรับรองสำเนาเอกสาร", "Certified copies of documents", 10),
    ("ขึ้นทะเบียนผู้รับบริการ", "Registration", 20),
    ("ให้คำปรึกษาแนะนำ", "Advice and consultation", 45),
    ("ขออนุญาต/ต่ออายุใบอนุญาต", "Licence or licence renewal", 60),
    ("ขอรับเงินสวัสดิการ/เงินช่วยเหลือ", "Welfare or assistance payment", 40),
    ("ขอใช้สถานที่/ยืมวัสดุอุปกรณ์", "Use of premises or equipment", 25),
)
_ACTIVITIES = (
    "ประชุมเครือข่ายภาคประชาชน",
    "จัดเวทีรับฟังความคิดเห็นผู้มีส่วนได้ส่วนเสีย",
    "อบรมให้ความรู้แก่ผู้ประกอบการ",
    "ลงพื้นที่พบปะเกษตรกร",
    "สัมมนาภาคีเครือข่าย",
    "กิจกรรมจิตอาสาร่วมกับชุมชน",
    "หน่วยบริการเคลื่อนที่ (จังหวัดเคลื่อนที่)",
)
_SEX = (("ชาย", 0.44), ("หญิง", 0.53), ("ไม่ระบุ", 0.03))
_AGES = ("ต่ำกว่า 20 ปี", "20-29 ปี", "30-39 ปี", "40-49 ปี", "50-59 ปี", "60 ปีขึ้นไป")
_AGE_P = (0.05, 0.18, 0.24, 0.24, 0.18, 0.11)
_EDUCATION = ("ประถมศึกษา", "มัธยมศึกษา/ปวช.", "อนุปริญญา/ปวส.", "ปริญญาตรี", "สูงกว่าปริญญาตรี")
_EDU_P = (0.15, 0.28, 0.15, 0.33, 0.09)
_OCCUPATION = ("เกษตรกร", "ค้าขาย/ธุรกิจส่วนตัว", "รับจ้าง", "รับราชการ", "พนักงานบริษัท",
               "นักเรียน/นักศึกษา", "อื่น ๆ")  # fmt: skip
_OCC_P = (0.2, 0.2, 0.2, 0.15, 0.12, 0.06, 0.07)
_STATUS_TH = {"done": "ดำเนินการแล้ว", "partly": "ดำเนินการบางส่วน", "not_done": "ยังไม่ดำเนินการ"}
_FALLBACK_ACTIVITY_CODES = (
    "CS1A", "CS1B", "CS2A", "CS2B", "CS3A", "CS3B", "CS4", "CS5", "CS6", "CS7",
)  # fmt: skip


def _thai_id(rng: np.random.Generator) -> str:
    """A random 13-digit national ID with a valid check digit (FAKE)."""
    digits = [int(rng.integers(1, 9))] + [int(d) for d in rng.integers(0, 10, 11)]
    total = sum(d * w for d, w in zip(digits, range(13, 1, -1), strict=True))
    return "".join(map(str, digits)) + str((11 - total % 11) % 10)


def _fake_pii(rng: np.random.Generator, k: int) -> str:
    """A sentence carrying FAKE personal data; ``k`` picks the kind."""
    nid = _thai_id(rng)
    phone = f"08{rng.integers(0, 10)}-{rng.integers(100, 1000)}-{rng.integers(1000, 10000)}"
    kinds = (
        f" ติดต่อกลับได้ที่ {phone}",
        f" นายสมชาย ใจดี เลขบัตรประชาชน {nid}",
        f" อีเมล somchai.j{rng.integers(10, 100)}@example.com",
        f" (เลขบัตร {nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]} โทร {phone})",
    )
    return kinds[k % len(kinds)]


def _thai_date(d: _dt.date, style: int) -> str:
    """A date in one of the styles Thai offices type: 0 '2 ต.ค. 2566', 1 ISO, 2 '2/10/2566'."""
    if style == 0:
        return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {d.year + 543}"
    if style == 1:
        return d.isoformat()
    return f"{d.day}/{d.month}/{d.year + 543}"


def _fy_dates(rng: np.random.Generator, fy: int, n: int) -> list[_dt.date]:
    """``n`` random dates within fiscal year ``fy`` (BE), 1 Oct - 30 Sep."""
    start = _dt.date(fy - 544, 10, 1)
    days = (_dt.date(fy - 543, 10, 1) - start).days
    return [start + _dt.timedelta(days=int(x)) for x in rng.integers(0, days, n)]


def _check_codes() -> list[tuple[str, str]]:
    """(activity code, check code) pairs of the built-in example catalogue."""
    try:
        text = resources.files("pmqa_analysis").joinpath("data/catalogue_example.toml")
        raw = tomllib.loads(text.read_text("utf-8"))
        pairs = [
            (str(a["code"]), str(c["code"]))
            for a in raw.get("activities", [])
            for c in a.get("checklist", [])
        ]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
        pairs = []
    if not pairs:
        pairs = [(a, f"{a}.{k}") for a in _FALLBACK_ACTIVITY_CODES for k in (1, 2, 3)]
    return pairs


def _yamane(population: int, e: float = 0.05) -> int:
    return math.ceil(population / (1 + population * e * e))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _units(rng: np.random.Generator, n_units: int) -> pd.DataFrame:
    names = []
    for i in range(n_units):
        th, en = _UNITS[i % len(_UNITS)]
        if i >= len(_UNITS):
            th, en = f"{th} แห่งที่ {i // len(_UNITS) + 1}", f"{en} {i // len(_UNITS) + 1}"
        names.append((f"U{i + 1:02d}", th, en))
    # most provincial offices serve a few thousand people a year; a few serve tens of thousands
    pops = np.exp(rng.uniform(np.log(300), np.log(6_000), n_units))
    for i in _LARGE_UNITS:
        if i < n_units:
            pops[i] = rng.uniform(30_000, 60_000)
    pops = np.round(pops, -1)
    return pd.DataFrame(
        {
            "unit_code": [n[0] for n in names],
            "unit_name_th": [n[1] for n in names],
            "unit_name_en": [n[2] for n in names],
            "service_population": pops.astype("int64"),
        }
    )


def _questionnaire() -> pd.DataFrame:
    rows = []
    for k, (th, en, reverse) in enumerate(_ITEMS):
        dim = _DIMENSIONS[k // 4]
        rows.append(
            {
                "item_code": f"Q{k + 1:02d}",
                "dimension_code": dim[0],
                "dimension_th": dim[1],
                "dimension_en": dim[2],
                "item_th": th,
                "item_en": en,
                "scale": "th5",
                "reverse": "yes" if reverse else "no",
                "column_header": th,
            }
        )
    return pd.DataFrame(rows)


def _responses(
    rng: np.random.Generator,
    units: pd.DataFrame,
    services: pd.DataFrame,
    fiscal_years: tuple[int, ...],
    per_unit_year: tuple[int, int],
    reach_sample_size: bool,
) -> pd.DataFrame:
    n_units = len(units)
    current = max(fiscal_years)
    base = 4.3 + rng.normal(0.0, 0.08, n_units)
    rows: list[tuple[int, int]] = []  # (unit position, fiscal year)
    for u in range(n_units):
        for fy in sorted(fiscal_years):
            n = int(rng.integers(per_unit_year[0], per_unit_year[1] + 1))
            if reach_sample_size and fy == current and u not in _UNDERSAMPLED:
                n = max(
                    n, _yamane(int(units["service_population"].iloc[u])) + int(rng.integers(3, 15))
                )
            rows += [(u, fy)] * n
    unit_pos = np.array([r[0] for r in rows])
    years = np.array([r[1] for r in rows])
    n = len(rows)
    # groups: G7 only in its own unit
    g_codes = [g[0] for g in _GROUPS]
    g_p = np.array([g[6] for g in _GROUPS])
    groups = rng.choice(len(_GROUPS), size=n, p=g_p / g_p.sum())
    own = _GROUPS[-1][5]
    in_own = (unit_pos == own) & (rng.random(n) < 0.3)
    groups[in_own] = len(_GROUPS) - 1
    c_p = np.array([c[3] for c in _CHANNELS])
    channels = rng.choice(len(_CHANNELS), size=n, p=c_p / c_p.sum())
    # latent satisfaction
    dim_codes = [d[0] for d in _DIMENSIONS]
    unit_level = base.copy()
    for u in _WEAK:
        if u < n_units:
            unit_level[u] = 3.6
    lat = unit_level[unit_pos] + rng.normal(0.0, 0.45, n)
    for u in _IMPROVING:
        lat[unit_pos == u] += 0.3 * (years[unit_pos == u] - current)
    lat[groups == g_codes.index(_DISSATISFIED_GROUP)] -= 0.55
    item_shift = rng.normal(0.0, 0.08, len(_ITEMS))
    dim_of_item = np.repeat(np.arange(len(_DIMENSIONS)), 4)
    item_lat = (
        lat[:, None]
        + np.array([d[3] for d in _DIMENSIONS])[dim_of_item][None, :]
        + item_shift[None, :]
        + rng.normal(0.0, 0.65, (n, len(_ITEMS)))
    )
    for u, dim in _WEAK.items():
        if u < n_units:
            item_lat[np.ix_(unit_pos == u, dim_of_item == dim_codes.index(dim))] -= 0.6
    scores = np.clip(np.rint(item_lat), 1, 5).astype(int)
    reverse = np.array([it[2] for it in _ITEMS])
    answers = np.where(reverse[None, :], 6 - scores, scores)
    labels = np.array(_LABELS, dtype=object)[answers - 1]
    miss = rng.random(labels.shape)
    labels[miss < 0.03] = _MISSING_LABEL
    labels[miss < 0.012] = ""
    # timestamps spread over each fiscal year, office hours
    stamps = []
    for fy in sorted(fiscal_years):
        m = years == fy
        dates = _fy_dates(rng, fy, int(m.sum()))
        secs = rng.integers(8 * 3600, 19 * 3600, int(m.sum()))
        stamps.append(
            pd.Series(
                pd.to_datetime(dates) + pd.to_timedelta(secs, unit="s"), index=np.flatnonzero(m)
            )
        )
    when = pd.concat(stamps).sort_index()
    frame = pd.DataFrame(
        {
            "ประทับเวลา": when.to_numpy(),
            "unit_code": units["unit_code"].to_numpy()[unit_pos],
            "group_code": np.array(g_codes)[groups],
            "channel_code": np.array([c[0] for c in _CHANNELS])[channels],
            "sex": rng.choice([s[0] for s in _SEX], size=n, p=[s[1] for s in _SEX]),
            "age_band": rng.choice(_AGES, size=n, p=_AGE_P),
            "education": rng.choice(_EDUCATION, size=n, p=_EDU_P),
            "occupation": rng.choice(_OCCUPATION, size=n, p=_OCC_P),
        }
    )
    svc = services.groupby("unit_code", sort=True)["service_code"].apply(list).to_dict()
    pick = rng.random(n)
    frame["service_code"] = [
        svc[u][int(p * len(svc[u]))] for u, p in zip(frame["unit_code"], pick, strict=True)
    ]
    comments = _comments(rng, scores, dim_of_item)
    items = pd.DataFrame(labels, columns=[it[0] for it in _ITEMS])
    frame = pd.concat([frame, items, comments], axis=1)
    frame = frame.sort_values(["ประทับเวลา", "unit_code"], kind="stable").reset_index(drop=True)
    ts = frame["ประทับเวลา"]
    frame["ประทับเวลา"] = [
        f"{t.day}/{t.month}/{t.year + 543}, {t.hour}:{t.minute:02d}:{t.second:02d}" for t in ts
    ]
    frame.insert(1, "respondent_id", [f"R{k + 1:06d}" for k in range(n)])
    return frame


def _comments(
    rng: np.random.Generator, scores: np.ndarray, dim_of_item: np.ndarray
) -> pd.DataFrame:
    n = scores.shape[0]
    dims = [d[0] for d in _DIMENSIONS]
    dim_mean = np.stack([scores[:, dim_of_item == k].mean(axis=1) for k in range(len(dims))], 1)
    low = dim_mean.argmin(axis=1)
    high = dim_mean.argmax(axis=1)
    overall = scores.mean(axis=1)
    has = np.less(rng.random(n), 0.30)
    out = {
        c: np.full(n, "", dtype=object)
        for c in ("comment_praise", "comment_improve", "comment_dissatisfied")
    }
    r = rng.random((n, 4))
    pii_rows = np.flatnonzero(has)[:: max(1, int(has.sum()) // 12)][:12]
    for i in np.flatnonzero(has):
        if overall[i] >= 3.6 or r[i, 0] < 0.3:
            bank = _PHRASES[dims[high[i]]][0]
            out["comment_praise"][i] = bank[int(r[i, 1] * len(bank))]
        if r[i, 2] < 0.6:
            bank = _PHRASES[dims[low[i]]][1]
            out["comment_improve"][i] = bank[int(r[i, 3] * len(bank))]
        if overall[i] < 3.4 or r[i, 2] < 0.1:
            bank = _PHRASES[dims[low[i]]][2]
            out["comment_dissatisfied"][i] = bank[int(r[i, 1] * len(bank))]
        if not any(out[c][i] for c in out):
            out["comment_improve"][i] = _PHRASES[dims[low[i]]][1][0]
    for k, i in enumerate(pii_rows):
        col = "comment_dissatisfied" if out["comment_dissatisfied"][i] else "comment_improve"
        out[col][i] = (out[col][i] or "อยากให้ติดต่อกลับ") + _fake_pii(rng, k)
    return pd.DataFrame(out)


def _services(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for u, code in enumerate(units["unit_code"]):
        k = int(rng.integers(3, 6))
        chosen = sorted(rng.choice(len(_SERVICES), size=k, replace=False))
        for j, s in enumerate(chosen):
            th, en, minutes = _SERVICES[s]
            published = "no" if (u in _WEAK and j == k - 1) else "yes"
            rows.append((code, f"S{j + 1:02d}", th, en, float(minutes), published))
    cols = ["unit_code", "service_code", "service_name_th", "service_name_en",
            "standard_minutes", "published"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _service_log(
    rng: np.random.Generator, services: pd.DataFrame, weak: set[str], years: tuple[int, ...]
) -> pd.DataFrame:
    rows = []
    for rec in services.itertuples(index=False):
        for fy in sorted(years):
            n = int(rng.integers(15, 31))
            ratio = rng.lognormal(np.log(1.0 if rec.unit_code in weak else 0.72), 0.3, n)
            for d, x in zip(_fy_dates(rng, fy, n), ratio, strict=True):
                rows.append((d, rec.unit_code, rec.service_code, round(rec.standard_minutes * x)))
    frame = pd.DataFrame(rows, columns=["date", "unit_code", "service_code", "actual_minutes"])
    frame = frame.sort_values(["date", "unit_code", "service_code"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "transaction_id", [f"T{k + 1:06d}" for k in range(len(frame))])
    frame.insert(3, "service_date", [d.isoformat() for d in frame.pop("date")])
    frame["actual_minutes"] = frame["actual_minutes"].clip(lower=1).astype("int64")
    return frame


def _complaints(
    rng: np.random.Generator, units: pd.DataFrame, weak: set[str], years: tuple[int, ...]
) -> pd.DataFrame:
    current = max(years)
    fy_end = _dt.date(current - 543, 9, 30)
    ch_p = np.array([c[4] for c in _CHANNELS])
    rows = []
    for code in units["unit_code"]:
        for fy in sorted(years):
            n = int(rng.poisson(11 if code in weak else 6))
            for d in _fy_dates(rng, fy, n):
                cat = int(rng.integers(0, len(_COMPLAINT_CATEGORIES)))
                scale = 9.0 if code in weak else 3.5
                days = int(np.ceil(rng.gamma(2.0, scale)))
                recent = (fy_end - d).days < 30
                is_open = rng.random() < (0.6 if recent else 0.03)
                reopened = (not is_open) and rng.random() < 0.05
                if reopened:
                    days += int(rng.integers(5, 20))
                rows.append(
                    {
                        "d": d,
                        "unit_code": code,
                        "channel_code": _CHANNELS[int(rng.choice(len(_CHANNELS), p=ch_p))][0],
                        "category": _COMPLAINT_CATEGORIES[cat][0],
                        "group_code": _GROUPS[int(rng.integers(0, 6))][0],
                        "open": is_open,
                        "closed": None if is_open else d + _dt.timedelta(days=days),
                        "forwarded": "ใช่" if rng.random() < 0.08 else "ไม่ใช่",
                        "reopened": "ใช่" if reopened else "ไม่ใช่",
                        "rating": ""
                        if is_open or rng.random() < 0.5
                        else str(
                            int(rng.integers(2, 6) if code not in weak else rng.integers(1, 5))
                        ),
                        "description": _COMPLAINT_CATEGORIES[cat][1],
                        "style": int(rng.integers(0, 3)),
                    }
                )
    frame = pd.DataFrame(rows).sort_values(["d", "unit_code"], kind="stable")
    frame = frame.reset_index(drop=True)
    for k, i in enumerate(range(3, len(frame), max(1, len(frame) // 6))):
        frame.loc[i, "description"] = str(frame.loc[i, "description"]) + _fake_pii(rng, k)
    return pd.DataFrame(
        {
            "complaint_id": [f"C{k + 1:04d}" for k in range(len(frame))],
            "unit_code": frame["unit_code"],
            "received_date": [
                _thai_date(d, s) for d, s in zip(frame["d"], frame["style"], strict=True)
            ],
            "channel_code": frame["channel_code"],
            "category": frame["category"],
            "group_code": frame["group_code"],
            "status": np.where(frame["open"], "ดำเนินการอยู่", "เสร็จสิ้น"),
            "closed_date": [
                "" if c is None else _thai_date(c, s)
                for c, s in zip(frame["closed"], frame["style"], strict=True)
            ],
            "forwarded": frame["forwarded"],
            "reopened": frame["reopened"],
            "rating": frame["rating"],
            "description": frame["description"],
        }
    )


def _activities(
    rng: np.random.Generator, units: pd.DataFrame, years: tuple[int, ...]
) -> pd.DataFrame:
    rows = []
    for u, code in enumerate(units["unit_code"]):
        if u in _NO_ACTIVITIES:
            continue
        for fy in sorted(years):
            n = int(rng.integers(1, 5))
            for d in sorted(_fy_dates(rng, fy, n)):
                style = 0 if rng.random() < 0.7 else 1
                text = (
                    f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {(d.year + 543) % 100:02d}"
                    if style == 0
                    else d.isoformat()
                )
                rows.append(
                    (d, code, text, _ACTIVITIES[int(rng.integers(0, len(_ACTIVITIES)))],
                     _GROUPS[int(rng.integers(0, 6))][0], int(rng.integers(15, 151)))
                )  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["d", "unit_code", "activity_date", "activity_name", "group_code", "participants"],
    )
    frame = frame.sort_values(["d", "unit_code"], kind="stable").drop(columns="d")
    frame.insert(0, "activity_id", [f"A{k + 1:03d}" for k in range(len(frame))])
    return frame.reset_index(drop=True)


def _checklist(rng: np.random.Generator, units: pd.DataFrame, fy: int) -> pd.DataFrame:
    pairs = _check_codes()
    rows = []
    gap_unit, gap_code = _CHECKLIST_GAP
    for u, code in enumerate(units["unit_code"]):
        p = (0.45, 0.30, 0.25) if u in _WEAK else (0.80, 0.15, 0.05)
        thai = u % 2 == 1
        for k, (act, check) in enumerate(pairs):
            if u == gap_unit and act == gap_code:
                continue
            status = str(rng.choice(["done", "partly", "not_done"], p=p))
            evidence = "" if status == "not_done" else f"เอกสารหลักฐาน {check} ปี {fy} ลำดับที่ {k + 1}"
            note = "อยู่ระหว่างจัดทำ" if status == "partly" else ""
            rows.append(
                (code, fy, act, check, _STATUS_TH[status] if thai else status, evidence, note)
            )
    cols = [
        "unit_code",
        "fiscal_year",
        "activity_code",
        "check_code",
        "status",
        "evidence_ref",
        "note",
    ]
    return pd.DataFrame(rows, columns=cols)


_ROLES = (
    ("หัวหน้าสำนักงาน", "Head of office"),
    ("หัวหน้ากลุ่มงานยุทธศาสตร์", "Head of strategy"),
    ("เจ้าหน้าที่ประชาสัมพันธ์", "Public relations officer"),
    ("เจ้าหน้าที่รับเรื่องร้องเรียน", "Complaints officer"),
)


def _assignments(units: pd.DataFrame) -> pd.DataFrame:
    """The order assigning the work: a role per unit × activity code (the last unit has none)."""
    rows = []
    acts = sorted({a for a, _ in _check_codes()})
    for u, code in enumerate(units["unit_code"][:-1]):
        for k, act in enumerate(acts):
            role = _ROLES[(u + k) % len(_ROLES)][0]
            rows.append((code, act, role, "", f"คำสั่งที่ {u + 1}/2566"))
    return pd.DataFrame(rows, columns=["unit_code", "activity_code", "role", "person", "order_ref"])


def _approved_plan(units: pd.DataFrame, fy: int) -> pd.DataFrame:
    """Last year's approved improvement plan for this year (the round trip's input).

    Weak units promised to lift CS6 satisfaction (they stay weak: late or no
    progress); the improving units promised smaller steps (they make them).
    """
    codes = list(units["unit_code"])
    rows = []
    picks = [(u, 80.0, 45.0) for u in _WEAK] + [(u, 72.0, 68.0) for u in _IMPROVING]
    for k, (u, target, baseline) in enumerate(sorted(picks)):
        if u >= len(codes):
            continue
        code = codes[u]
        rows.append(
            {
                "plan_id": f"{fy}-{code}-CS6-01",
                "unit_code": code,
                "fiscal_year": fy,
                "activity_code": "CS6",
                "gap": "ร้อยละความพึงพอใจ (top-2-box) ต่ำกว่าเป้าหมาย",
                "evidence": f"ผลสำรวจปีงบประมาณ {fy - 1}",
                "action": "ปรับขั้นตอนและจุดบริการตามข้อคิดเห็นของผู้รับบริการ",
                "kpi": "top2_pct",
                "target": target,
                "baseline": baseline,
                "owner": _ROLES[k % len(_ROLES)][0],
                "due_date": f"31 มี.ค. {fy}",
                "status": "อนุมัติ",
                "approver": "ผู้ว่าราชการจังหวัด",
                "approved_date": f"15 พ.ย. {fy - 1}",
                "progress_note": "",
                "note": "",
            }
        )
    return pd.DataFrame(rows)


def _groups(units: pd.DataFrame) -> pd.DataFrame:
    codes = list(units["unit_code"])
    return pd.DataFrame(
        {
            "group_code": [g[0] for g in _GROUPS],
            "group_name_th": [g[1] for g in _GROUPS],
            "group_name_en": [g[2] for g in _GROUPS],
            "kind": [g[3] for g in _GROUPS],
            "mission": [g[4] for g in _GROUPS],
            "unit_code": [
                "" if g[5] is None or g[5] >= len(codes) else codes[g[5]] for g in _GROUPS
            ],
        }
    )


def make_sample_workspace(
    out_dir: str | Path,
    *,
    seed: int = 2567,
    n_units: int = 12,
    respondents_per_unit_year: tuple[int, int] = (60, 140),
    fiscal_years: tuple[int, ...] = (2565, 2566, 2567),
    responses_format: str = "csv",
    reach_sample_size: bool = True,
) -> Path:
    """Write a realistic, seeded sample workspace (all templates + ``settings.toml``).

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing; files of the same name are replaced).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives byte-identical files.
    n_units : int
        Number of units (at least 2; the structure described in the module docstring needs
        12).
    respondents_per_unit_year : (int, int)
        Inclusive range of respondents per unit and fiscal year.  In the current (latest)
        fiscal year every unit except U05 and U12 is raised to its Yamane sample size.
    fiscal_years : tuple of int
        Fiscal years (BE) of the responses, complaints, service log and activities; the
        latest is the year assessed (``settings.toml``) and the checklist's year.
    responses_format : {"csv", "xlsx", "parquet"}
        File format of ``responses``; every other template is CSV (UTF-8 with BOM).
    reach_sample_size : bool
        True (default): in the current fiscal year every unit except U05 and U12 gets at
        least its Yamane sample size.  False: every unit-year draws from
        ``respondents_per_unit_year`` (tiny workspaces for fast tests).

    Returns
    -------
    Path
        The workspace folder.

    Raises
    ------
    InputError
        On an unknown format, fewer than 2 units, a bad range or no fiscal year.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ws = make_sample_workspace(d, seed=1, n_units=3, reach_sample_size=False)
    ...     units = pd.read_csv(ws / "units.csv", encoding="utf-8-sig")
    >>> list(units["unit_code"])
    ['U01', 'U02', 'U03']
    """
    if responses_format not in ("csv", "xlsx", "parquet"):
        raise InputError(
            f"responses_format {responses_format!r} not supported; expected csv, xlsx or parquet"
        )
    lo, hi = (int(x) for x in respondents_per_unit_year)
    if n_units < 2 or not 1 <= lo <= hi:
        raise InputError(
            f"n_units={n_units}, respondents_per_unit_year={respondents_per_unit_year!r}: expected "
            "n_units >= 2 and a range (low, high) with 1 <= low <= high"
        )
    years = tuple(sorted({int(y) for y in fiscal_years}))
    if not years or not all(2400 < y < 2700 for y in years):
        raise InputError(f"fiscal_years={fiscal_years!r}: expected BE years such as (2566, 2567)")
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = _units(rng, n_units)
    weak = {units["unit_code"].iloc[u] for u in _WEAK if u < n_units}
    services = _services(rng, units)
    responses = _responses(rng, units, services, years, (lo, hi), reach_sample_size)
    tables = {
        "units": units,
        "groups": _groups(units),
        "channels": pd.DataFrame(
            {
                "channel_code": [c[0] for c in _CHANNELS],
                "channel_name_th": [c[1] for c in _CHANNELS],
                "channel_name_en": [c[2] for c in _CHANNELS],
            }
        ),
        "questionnaire": _questionnaire(),
        "complaints": _complaints(rng, units, weak, years),
        "service_standards": services,
        "service_log": _service_log(rng, services, weak, years),
        "activities": _activities(rng, units, years),
        "checklist": _checklist(rng, units, years[-1]),
        "assignments": _assignments(units),
        "improvement_plan": _approved_plan(units, years[-1]),
    }
    for name, frame in sorted(tables.items()):
        _write_csv(frame, out / f"{name}.csv")
    for ext in ("csv", "xlsx", "parquet"):  # never leave two responses files
        (out / f"responses.{ext}").unlink(missing_ok=True)
    target = out / f"responses.{responses_format}"
    if responses_format == "csv":
        _write_csv(responses, target)
    elif responses_format == "parquet":
        responses.to_parquet(target, index=False)
    else:
        with pd.ExcelWriter(target, engine="xlsxwriter") as writer:
            writer.book.set_properties({"created": _dt.datetime(2024, 1, 1)})
            responses.to_excel(writer, sheet_name="Form Responses 1", index=False)
    settings = Settings(province="จังหวัดตัวอย่าง", fiscal_year=years[-1], round="12m", language="th")
    (out / "settings.toml").write_bytes(settings_toml(settings).encode("utf-8"))
    return out


def _read_str(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def make_broken_workspace(src_dir: str | Path, dst_dir: str | Path) -> pd.DataFrame:
    """Copy a CSV sample workspace and seed known problems into the copy.

    The source is only read.  Each problem is planted in its own cell (or, for the missing
    column, its own file), so validation of the copy should report exactly these problems
    (and may add warnings).

    Parameters
    ----------
    src_dir : str or Path
        A valid workspace written by :func:`make_sample_workspace` with CSV responses.
    dst_dir : str or Path
        Where to write the broken copy (must not be inside ``src_dir``).

    Returns
    -------
    pandas.DataFrame
        The expected problems, one row each, sorted: ``file``, ``row`` (as Excel shows it:
        header = 1, first data row = 2; missing for a whole-column problem), ``column`` (the
        header as written in the file), ``kind`` (the problem kind of
        :mod:`pmqa_analysis.core.problems`) and ``value`` (what was planted).

    Raises
    ------
    InputError
        When the source is not such a workspace or the destination is inside it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     src = make_sample_workspace(f"{d}/ok", n_units=4, reach_sample_size=False)
    ...     expected = make_broken_workspace(src, f"{d}/broken")
    >>> len(expected), expected["kind"].is_unique
    (16, True)
    """
    src, dst = Path(src_dir).resolve(), Path(dst_dir).resolve()
    names = ("units", "groups", "questionnaire", "responses", "complaints",
             "service_standards", "service_log", "activities", "checklist")  # fmt: skip
    missing = [f"{n}.csv" for n in names if not (src / f"{n}.csv").is_file()]
    if missing:
        raise InputError(
            f"{src}: {', '.join(missing)} not found; expected a CSV workspace written by "
            "make_sample_workspace(..., responses_format='csv')"
        )
    if dst == src or src in dst.parents:
        raise InputError(f"{dst}: the broken copy must not be written inside the source {src}")
    frames = {n: _read_str(src / f"{n}.csv") for n in names}
    small = [
        n for n in names if n not in ("units", "groups", "questionnaire") and len(frames[n]) < 12
    ]
    if len(frames["units"]) < 3 or len(frames["groups"]) < 3 or small:
        raise InputError(f"{src}: too few rows to seed problems ({', '.join(small) or 'units'})")
    expected: list[tuple[str, int | None, str, str, str]] = []

    def plant(name: str, pos: int, column: str, value: str, kind: str) -> None:
        frames[name].loc[pos, column] = value
        expected.append((f"{name}.csv", pos + 2, column, kind, value))

    q = frames["questionnaire"]
    header = {c: (h or c) for c, h in zip(q["item_code"], q["column_header"], strict=True)}
    plant("units", 2, "service_population", "-500", "negative_number")
    plant("groups", 2, "group_name_th", "", "required_value_missing")
    plant("questionnaire", 4, "scale", "th7", "unknown_scale")
    resp = frames["responses"]
    plant("responses", 3, header[q["item_code"].iloc[0]], "ดีมาก", "bad_score")
    plant("responses", 5, "unit_code", "U99", "unknown_unit_code")
    plant("responses", 7, "group_code", "G99", "unknown_group_code")
    plant("responses", 9, "respondent_id", str(resp.loc[8, "respondent_id"]), "duplicate_key")
    comp = frames["complaints"]
    closed = comp.index[
        (comp["closed_date"] != "") & comp["received_date"].str.fullmatch(r"\d{4}-\d\d-\d\d")
    ]
    pos = int(closed[closed >= 3][0]) if (closed >= 3).any() else None
    if pos is None:
        raise InputError(f"{src}: no closed complaint with an ISO date to seed a problem into")
    before = _dt.date.fromisoformat(str(comp.loc[pos, "received_date"])) - _dt.timedelta(days=5)
    plant("complaints", pos, "closed_date", before.isoformat(), "closed_before_received")
    spare = [p for p in range(12) if p != pos]
    plant("complaints", spare[0], "channel_code", "FAX", "unknown_channel_code")
    plant("complaints", spare[1], "forwarded", "อาจจะ", "bad_yes_no")
    plant("service_log", 4, "service_date", "31/02/2567", "bad_date")
    plant("service_log", 8, "service_code", "S99", "unknown_service")
    plant("activities", 1, "participants", "ประมาณ 30 คน", "not_a_number")
    plant("checklist", 2, "status", "เสร็จแล้ว", "bad_choice")
    plant("checklist", 5, "check_code", f"{frames['checklist'].loc[5, 'activity_code']}.99",
          "unknown_check_code")  # fmt: skip
    frames["service_standards"] = frames["service_standards"].drop(columns="service_name_th")
    expected.append(("service_standards.csv", None, "service_name_th", "missing_column", ""))
    shutil.copytree(src, dst, dirs_exist_ok=True)
    changed = sorted({e[0].removesuffix(".csv") for e in expected})
    for name in changed:
        _write_csv(frames[name], dst / f"{name}.csv")
    table = pd.DataFrame(expected, columns=["file", "row", "column", "kind", "value"])
    table["row"] = table["row"].astype("Int64")
    return table.sort_values(["file", "row"], na_position="first").reset_index(drop=True)


def cache_dir() -> Path:
    """Where the kit keeps generated sample data (``$PMQA_CACHE`` or ``~/.cache/pmqa-analysis``)."""
    import os

    from pmqa_analysis import __version__

    base = os.environ.get("PMQA_CACHE") or str(Path.home() / ".cache" / "pmqa-analysis")
    return Path(base) / __version__


def sample_workspace(seed: int = 2567) -> Path:
    """The bundled sample workspace, generated once into :func:`cache_dir` and reused.

    Notebooks use it as their default input, so they run with no set-up.  The
    folder is written to a temporary name and renamed, so a half-written
    sample is never reused.
    """
    import os
    import tempfile

    target = cache_dir() / f"sample-{seed}"
    if (target / "settings.toml").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sample-", dir=target.parent))
    make_sample_workspace(tmp / "ws", seed=seed)
    try:
        os.replace(tmp / "ws", target)
    except OSError:  # another process won the race: use its copy
        pass
    shutil.rmtree(tmp, ignore_errors=True)
    return target
