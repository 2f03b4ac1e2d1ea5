"""A Google-Forms-shaped export, as a provincial office downloads it (for the app tests)."""

from __future__ import annotations

import random
from pathlib import Path

UNITS = ("ที่ว่าการอำเภอเมือง", "สำนักงานจังหวัด", "สำนักงานพัฒนาชุมชนจังหวัด")
GROUPS = ("ประชาชนทั่วไป", "ผู้ประกอบการ", "หน่วยงานภาครัฐ")
LEVELS = ("มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด")
ITEMS = (
    "1.1 ความสะดวกของขั้นตอนการให้บริการ",
    "1.2 ระยะเวลาในการให้บริการเหมาะสม",
    "2.1 เจ้าหน้าที่ให้บริการด้วยความสุภาพ",
    "2.2 เจ้าหน้าที่ให้คำแนะนำได้ชัดเจน",
    "3.1 ความพึงพอใจต่อการให้บริการโดยรวม",
)
HEADER = (
    "ประทับเวลา",
    "หน่วยงานที่ท่านมารับบริการ",
    "ท่านเป็น",
    "เพศ",
    *ITEMS,
    "ข้อเสนอแนะเพิ่มเติม",
)


def google_forms_csv(path: Path, n: int = 90, seed: int = 7) -> Path:
    """A Google Forms CSV: BE timestamps, Thai answers, Likert labels, a comment column."""
    import csv

    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(n):
            day, month = 1 + i % 28, (10, 11, 12, 1, 2, 3)[i % 6]
            year = 2567 if month >= 10 else 2568
            stamp = f"{day}/{month}/{year} {8 + i % 9}:{i % 60:02d}:{(7 * i) % 60:02d}"
            levels = [LEVELS[min(4, max(0, int(rng.gauss(1.2, 0.9))))] for _ in ITEMS]
            comment = rng.choice(("", "", "บริการดีมาก", "ที่จอดรถไม่พอ", "รอนานไปหน่อย"))
            writer.writerow([stamp, UNITS[i % 3], GROUPS[i % 3], ("ชาย", "หญิง")[i % 2],
                             *levels, comment])  # fmt: skip
    return path
