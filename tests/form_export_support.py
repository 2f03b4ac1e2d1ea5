"""Form exports as offices download them, for the ``pmqa init --from-export`` tests.

:func:`google_rows` makes the answers once (deterministic); :func:`write_google_csv` writes
them the way Google Forms (Thai interface) does — UTF-8 with a BOM, ``ประทับเวลา`` first,
``15/3/2567, 10:21:33`` timestamps, numbered Thai questions, Thai labels — or as Thai Excel
re-saves it (cp874, no BOM, CRLF). :func:`write_ms_forms_xlsx` writes a Microsoft Forms
workbook (``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name``, then the
questions; dates as Excel date cells). Every builder also returns what a person would count
by hand from the answers (:class:`Expected`), computed here with plain Python and the
label -> score table below, not with the kit.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

#: th5 labels -> score, as a person reading the questionnaire would score them
TH5 = {"มากที่สุด": 5, "มาก": 4, "ปานกลาง": 3, "น้อย": 2, "น้อยที่สุด": 1}
NO_OPINION = "ไม่มีความเห็น"
UNSURE = "ไม่แน่ใจ"  # not a th5 missing label: the draft must add it in scales.toml
UNITS = ("ที่ว่าการอำเภอเมือง", "สำนักงานที่ดินจังหวัด", "สำนักงานพัฒนาชุมชนจังหวัด")
GROUPS = ("ประชาชนทั่วไป", "ผู้ประกอบการ", "เจ้าหน้าที่หน่วยงานภาครัฐ")
CHANNELS = ("ติดต่อด้วยตนเอง", "LINE", "โทรศัพท์")
ITEMS = (
    "1.1 ความสะดวกในการติดต่อ",
    "1.2 ความรวดเร็วในการให้บริการ",
    "2.1 เจ้าหน้าที่ให้บริการด้วยความสุภาพ",
    "2.2 เจ้าหน้าที่ให้คำแนะนำได้ชัดเจน",
    "3.1 ความพึงพอใจต่อการให้บริการโดยรวม",
)
UNIT_Q = "หน่วยงานที่ท่านมารับบริการ"
GROUP_Q = "ท่านเป็น"
CHANNEL_Q = "ช่องทางที่ท่านใช้บริการ"
#: a second channel-like question: the draft must list it as ambiguous, not use it
NEWS_Q = "ท่านทราบข่าวสารของหน่วยงานผ่านช่องทางใด"
PRAISE_Q = "สิ่งที่ท่านประทับใจ"
IMPROVE_Q = "ข้อเสนอแนะเพื่อการปรับปรุง"
#: personal data that must never reach a report (names, e-mails, phones written anywhere)
PII_EMAIL = "somchai.jaidee@example.com"
PII_NAME = "สมชาย ใจดี"
PII_PHONE = "081-234-5678"
_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass
class Expected:
    """What the export holds, counted by hand."""

    n_rows: int
    n_per_unit: dict[str, int]  # unit answer text -> respondents
    #: item header -> {unit answer text -> mean score of its valid answers}
    item_means: dict[str, dict[str, float]]
    #: item header -> respondents with a valid answer, all units together
    item_n: dict[str, int]
    personal: tuple[str, ...] = field(default=())


def google_rows(seed: int = 17, n: int = 36) -> list[dict[str, str]]:
    """The answers of ``n`` respondents (dict header -> answer, blank = "")."""
    rnd = random.Random(seed)
    names = ["สมหญิง รักดี", "วิชัย ศรีสุข", "มานี มีนา", "ปิติ ชูใจ", PII_NAME]
    rows = []
    for i in range(n):
        unit = UNITS[i % 3] if i < 30 else UNITS[0]  # U01 has 16, the others 10
        day = datetime(2023, 11, 1) + (datetime(2024, 6, 28) - datetime(2023, 11, 1)) * (i / n)
        row = {
            "ประทับเวลา": f"{day.day}/{day.month}/{day.year + 543}, "
            f"{9 + i % 8:02d}:{(7 * i) % 60:02d}:{(13 * i) % 60:02d}",
            "ที่อยู่อีเมล": PII_EMAIL if i == 4 else f"user{i:02d}@example.org",
            "ชื่อ-นามสกุล": names[i % len(names)],
            "เบอร์โทรศัพท์": PII_PHONE if i == 4 else f"08{i % 10}-{100 + i:03d}-{2000 + i}",
            f"1. {UNIT_Q}": unit,
            f"2. {GROUP_Q}": GROUPS[rnd.randrange(3)],
            f"3. {CHANNEL_Q}": CHANNELS[rnd.randrange(3)],
            "เพศ": ("ชาย", "หญิง")[rnd.randrange(2)],
            "อายุ": rnd.choice(("ต่ำกว่า 20 ปี", "20-39 ปี", "40-59 ปี", "60 ปีขึ้นไป")),
        }
        if i % 7 == 3:  # Thai Excel users sometimes type Thai digits
            row["ประทับเวลา"] = row["ประทับเวลา"].translate(_THAI)
        for k, item in enumerate(ITEMS):
            roll = rnd.random()
            if roll < 0.06:
                answer = NO_OPINION
            elif roll < 0.09 and k == 4:
                answer = UNSURE
            elif roll < 0.12:
                answer = ""  # skipped (not required in the form)
            else:
                answer = list(TH5)[min(int(rnd.random() ** 1.6 * 5), 4)]
            row[item] = answer
        row[NEWS_Q] = rnd.choice(("Facebook", "ป้ายประกาศ", "เพื่อนบอก"))
        row[PRAISE_Q] = rnd.choice(("เจ้าหน้าที่ยิ้มแย้ม", "", "บริการรวดเร็ว", ""))
        row[IMPROVE_Q] = rnd.choice(("ที่จอดรถน้อย", "", "ควรมีป้ายบอกทาง", ""))
        rows.append(row)
    rows[7][ITEMS[4]] = UNSURE
    rows[4][IMPROVE_Q] = (
        f"ติดต่อกลับที่ {PII_EMAIL} หรือ {PII_PHONE} คุณสมชาย ใจดี <script>alert(1)</script>"
    )
    return rows


def expected(rows: list[dict[str, str]], unit_key: str, items: tuple[str, ...]) -> Expected:
    """Hand count: respondents per unit, each item's mean per unit (th5 labels or scores)."""
    per_unit: dict[str, int] = {}
    means: dict[str, dict[str, float]] = {}
    item_n: dict[str, int] = {}
    for r in rows:
        per_unit[r[unit_key]] = per_unit.get(r[unit_key], 0) + 1
    for item in items:
        means[item] = {}
        item_n[item] = 0
        for unit in per_unit:
            answers = [r[item] for r in rows if r[unit_key] == unit]
            scores = [TH5[a] if a in TH5 else int(a) for a in answers if a in TH5 or a.isdigit()]
            means[item][unit] = sum(scores) / len(scores)
            item_n[item] += len(scores)
    return Expected(len(rows), per_unit, means, item_n, (PII_EMAIL, PII_NAME, PII_PHONE))


GOOGLE_HEADERS = (
    "ประทับเวลา", "ที่อยู่อีเมล", "ชื่อ-นามสกุล", "เบอร์โทรศัพท์", f"1. {UNIT_Q}",
    f"2. {GROUP_Q}", f"3. {CHANNEL_Q}", "เพศ", "อายุ", *ITEMS, NEWS_Q, PRAISE_Q, IMPROVE_Q,
)  # fmt: skip


def google_csv_text(rows: list[dict[str, str]], headers: tuple[str, ...] = GOOGLE_HEADERS) -> str:
    """The CSV text Google Forms writes (every field quoted, CRLF as Sheets downloads)."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow([r.get(h, "") for h in headers])
    return buf.getvalue()


def write_google_csv(
    path: Path,
    rows: list[dict[str, str]] | None = None,
    *,
    encoding: str = "utf-8-sig",
    headers: tuple[str, ...] = GOOGLE_HEADERS,
) -> Expected:
    """A Google Forms CSV (``utf-8-sig`` as downloaded, ``cp874`` as Thai Excel re-saves)."""
    rows = google_rows() if rows is None else rows
    text = google_csv_text(rows, headers)
    if encoding == "cp874":
        # Excel's re-save: unquoted where it can, CRLF, no BOM, Windows Thai code page
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerows(csv.reader(io.StringIO(text)))
        text = buf.getvalue()
    path.write_bytes(text.encode(encoding))
    return expected(rows, f"1. {UNIT_Q}", tuple(h for h in headers if h in ITEMS))


MS_ITEMS = (
    "ความสะดวกในการติดต่อ",
    "ความรวดเร็วในการให้บริการ",
    "ความสุภาพของเจ้าหน้าที่",
)
#: a Microsoft Forms "Rating" question: the answers are the scores 1-5 (number cells)
MS_RATING = "ให้คะแนนความพึงพอใจโดยรวม"
MS_UNIT_Q = "สำนักงานที่ท่านติดต่อ"


def ms_rows(seed: int = 5, n: int = 20) -> list[dict[str, object]]:
    """Microsoft Forms answers: Excel date cells, an anonymous e-mail, th5 labels."""
    rnd = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(n):
        start = datetime(2023, 10, 2, 8, 0) + (datetime(2024, 3, 29) - datetime(2023, 10, 2)) * (
            i / n
        )
        row: dict[str, object] = {
            "ID": i + 1,
            "Start time": start,
            "Completion time": start.replace(minute=start.minute + 4 if start.minute < 55 else 59),
            "Email": "anonymous" if i % 2 else f"staff{i}@province.go.th",
            "Name": "" if i % 2 else f"เจ้าหน้าที่ คนที่{i}",
            MS_UNIT_Q: UNITS[i % 2],
            "ประเภทผู้รับบริการ": GROUPS[i % 3],
            "เพศ": ("หญิง", "ชาย")[i % 2],
        }
        for item in MS_ITEMS:
            row[item] = list(TH5)[rnd.randrange(5)] if rnd.random() > 0.05 else NO_OPINION
        row[MS_RATING] = rnd.randrange(1, 6) if i != 3 else ""
        row["ความคิดเห็นเพิ่มเติม"] = "" if i % 3 else f"โทร 08{i % 10}-555-01{i:02d} ได้ค่ะ"
        rows.append(row)
    return rows


def write_ms_forms_xlsx(
    path: Path, rows: list[dict[str, object]] | None = None, *, cover: bool = False
) -> Expected:
    """A Microsoft Forms XLSX export (sheet ``Sheet1``; ``cover`` adds a cover sheet first)."""
    import xlsxwriter

    rows = ms_rows() if rows is None else rows
    headers = list(rows[0])
    wb = xlsxwriter.Workbook(str(path))
    if cover:
        ws0 = wb.add_worksheet("คำอธิบาย")
        ws0.write(0, 0, "แบบสำรวจความพึงพอใจ ปีงบประมาณ 2567")
    ws = wb.add_worksheet("Sheet1")
    date_fmt = wb.add_format({"num_format": "m/d/yy h:mm:ss"})
    for j, h in enumerate(headers):
        ws.write_string(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, h in enumerate(headers):
            v = r[h]
            if isinstance(v, datetime):
                ws.write_datetime(i, j, v, date_fmt)
            elif isinstance(v, int):
                ws.write_number(i, j, v)
            elif v != "":
                ws.write_string(i, j, str(v))
    wb.close()
    text_rows = [{k: str(v) for k, v in r.items()} for r in rows]
    return expected(text_rows, MS_UNIT_Q, (*MS_ITEMS, MS_RATING))
