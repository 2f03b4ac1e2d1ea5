"""The sample workspace's office records: units, groups, channels and the CS2-CS7 files.

Units and their service populations, recipient groups, channels, complaints (CS3),
service standards and the service log (CS4), activities (CS5), the monitoring
checklist, the order assigning the work, and last year's approved improvement plan
(CS7) -- each drawn with the structure described in :mod:`pmqa_analysis.workspace.sample`.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from importlib import resources

import numpy as np
import pandas as pd

from pmqa_analysis.core.thai import THAI_MONTHS_ABBR
from pmqa_analysis.workspace.sample_province import (
    CHANNELS,
    CHECKLIST_GAP,
    GROUPS,
    IMPROVING,
    LARGE_UNITS,
    NO_ACTIVITIES,
    WEAK,
    fake_pii,
    fy_dates,
)

__all__ = [
    "activities_table",
    "approved_plan_table",
    "assignments_table",
    "channels_table",
    "checklist_table",
    "complaints_table",
    "groups_table",
    "service_log_table",
    "services_table",
    "units_table",
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
_STATUS_TH = {"done": "ดำเนินการแล้ว", "partly": "ดำเนินการบางส่วน", "not_done": "ยังไม่ดำเนินการ"}
_FALLBACK_ACTIVITY_CODES = (
    "CS1A", "CS1B", "CS2A", "CS2B", "CS3A", "CS3B", "CS4", "CS5", "CS6", "CS7",
)  # fmt: skip


def _thai_date(d: _dt.date, style: int) -> str:
    """A date in one of the styles Thai offices type: 0 '2 ต.ค. 2566', 1 ISO, 2 '2/10/2566'."""
    if style == 0:
        return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {d.year + 543}"
    if style == 1:
        return d.isoformat()
    return f"{d.day}/{d.month}/{d.year + 543}"


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


def units_table(rng: np.random.Generator, n_units: int) -> pd.DataFrame:
    """``units.csv``: ``n_units`` provincial offices with their yearly service population.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream (draws the populations).
    n_units : int
        Number of units; names repeat with a number beyond the 16 known offices.

    Returns
    -------
    pandas.DataFrame
        ``unit_code`` (U01, ...), ``unit_name_th``, ``unit_name_en``,
        ``service_population`` (a few hundred to thousands; tens of thousands for
        :data:`~pmqa_analysis.workspace.sample_province.LARGE_UNITS`).
    """
    names = []
    for i in range(n_units):
        th, en = _UNITS[i % len(_UNITS)]
        if i >= len(_UNITS):
            th, en = f"{th} แห่งที่ {i // len(_UNITS) + 1}", f"{en} {i // len(_UNITS) + 1}"
        names.append((f"U{i + 1:02d}", th, en))
    # most provincial offices serve a few thousand people a year; a few serve tens of thousands
    pops = np.exp(rng.uniform(np.log(300), np.log(6_000), n_units))
    for i in LARGE_UNITS:
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


def groups_table(units: pd.DataFrame) -> pd.DataFrame:
    """``groups.csv``: the recipient and stakeholder groups (G7 belongs to one unit).

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`units_table`.

    Returns
    -------
    pandas.DataFrame
        ``group_code``, ``group_name_th``, ``group_name_en``, ``kind``, ``mission``,
        ``unit_code`` (empty = every unit).
    """
    codes = list(units["unit_code"])
    return pd.DataFrame(
        {
            "group_code": [g[0] for g in GROUPS],
            "group_name_th": [g[1] for g in GROUPS],
            "group_name_en": [g[2] for g in GROUPS],
            "kind": [g[3] for g in GROUPS],
            "mission": [g[4] for g in GROUPS],
            "unit_code": [
                "" if g[5] is None or g[5] >= len(codes) else codes[g[5]] for g in GROUPS
            ],
        }
    )


def channels_table() -> pd.DataFrame:
    """``channels.csv``: the contact channels, code with Thai and English name.

    Returns
    -------
    pandas.DataFrame
        ``channel_code``, ``channel_name_th``, ``channel_name_en``.
    """
    return pd.DataFrame(
        {
            "channel_code": [c[0] for c in CHANNELS],
            "channel_name_th": [c[1] for c in CHANNELS],
            "channel_name_en": [c[2] for c in CHANNELS],
        }
    )


def services_table(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """``service_standards.csv``: three to five services per unit with a standard time.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    units : pandas.DataFrame
        From :func:`units_table`.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``service_code``, ``service_name_th``, ``service_name_en``,
        ``standard_minutes``, ``published`` (a weak unit leaves its last one unpublished).
    """
    rows = []
    for u, code in enumerate(units["unit_code"]):
        k = int(rng.integers(3, 6))
        chosen = sorted(rng.choice(len(_SERVICES), size=k, replace=False))
        for j, s in enumerate(chosen):
            th, en, minutes = _SERVICES[s]
            published = "no" if (u in WEAK and j == k - 1) else "yes"
            rows.append((code, f"S{j + 1:02d}", th, en, float(minutes), published))
    cols = ["unit_code", "service_code", "service_name_th", "service_name_en",
            "standard_minutes", "published"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def service_log_table(
    rng: np.random.Generator, services: pd.DataFrame, weak: set[str], years: tuple[int, ...]
) -> pd.DataFrame:
    """``service_log.csv``: 15-30 timed transactions per service and fiscal year.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    services : pandas.DataFrame
        From :func:`services_table`.
    weak : set of str
        Codes of the weak units: their actual times centre on the standard (others on
        72 % of it), so they overrun more often.
    years : tuple of int
        Fiscal years (BE).

    Returns
    -------
    pandas.DataFrame
        ``transaction_id``, ``unit_code``, ``service_code``, ``service_date`` (ISO),
        ``actual_minutes``; in date order.
    """
    rows = []
    for rec in services.itertuples(index=False):
        for fy in sorted(years):
            n = int(rng.integers(15, 31))
            ratio = rng.lognormal(np.log(1.0 if rec.unit_code in weak else 0.72), 0.3, n)
            for d, x in zip(fy_dates(rng, fy, n), ratio, strict=True):
                rows.append((d, rec.unit_code, rec.service_code, round(rec.standard_minutes * x)))
    frame = pd.DataFrame(rows, columns=["date", "unit_code", "service_code", "actual_minutes"])
    frame = frame.sort_values(["date", "unit_code", "service_code"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "transaction_id", [f"T{k + 1:06d}" for k in range(len(frame))])
    frame.insert(3, "service_date", [d.isoformat() for d in frame.pop("date")])
    frame["actual_minutes"] = frame["actual_minutes"].clip(lower=1).astype("int64")
    return frame


def complaints_table(
    rng: np.random.Generator, units: pd.DataFrame, weak: set[str], years: tuple[int, ...]
) -> pd.DataFrame:
    """``complaints.csv``: complaints per unit and fiscal year, dates typed three ways.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    units : pandas.DataFrame
        From :func:`units_table`.
    weak : set of str
        Codes of the weak units: more complaints, handled more slowly, rated lower.
    years : tuple of int
        Fiscal years (BE); complaints of the last 30 days of the latest are mostly open.

    Returns
    -------
    pandas.DataFrame
        The ``complaints`` template's columns; a few descriptions carry FAKE
        personal data (:func:`~pmqa_analysis.workspace.sample_province.fake_pii`).
    """
    current = max(years)
    fy_end = _dt.date(current - 543, 9, 30)
    ch_p = np.array([c[4] for c in CHANNELS])
    rows = []
    for code in units["unit_code"]:
        for fy in sorted(years):
            n = int(rng.poisson(11 if code in weak else 6))
            for d in fy_dates(rng, fy, n):
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
                        "channel_code": CHANNELS[int(rng.choice(len(CHANNELS), p=ch_p))][0],
                        "category": _COMPLAINT_CATEGORIES[cat][0],
                        "group_code": GROUPS[int(rng.integers(0, 6))][0],
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
        frame.loc[i, "description"] = str(frame.loc[i, "description"]) + fake_pii(rng, k)
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


def activities_table(
    rng: np.random.Generator, units: pd.DataFrame, years: tuple[int, ...]
) -> pd.DataFrame:
    """``activities.csv``: one to four engagement activities per unit and fiscal year.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    units : pandas.DataFrame
        From :func:`units_table`; the units of
        :data:`~pmqa_analysis.workspace.sample_province.NO_ACTIVITIES` have none.
    years : tuple of int
        Fiscal years (BE).

    Returns
    -------
    pandas.DataFrame
        ``activity_id``, ``unit_code``, ``activity_date`` (``2 ต.ค. 66`` or ISO),
        ``activity_name``, ``group_code``, ``participants``.
    """
    rows = []
    for u, code in enumerate(units["unit_code"]):
        if u in NO_ACTIVITIES:
            continue
        for fy in sorted(years):
            n = int(rng.integers(1, 5))
            for d in sorted(fy_dates(rng, fy, n)):
                style = 0 if rng.random() < 0.7 else 1
                text = (
                    f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {(d.year + 543) % 100:02d}"
                    if style == 0
                    else d.isoformat()
                )
                rows.append(
                    (d, code, text, _ACTIVITIES[int(rng.integers(0, len(_ACTIVITIES)))],
                     GROUPS[int(rng.integers(0, 6))][0], int(rng.integers(15, 151)))
                )  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["d", "unit_code", "activity_date", "activity_name", "group_code", "participants"],
    )
    frame = frame.sort_values(["d", "unit_code"], kind="stable").drop(columns="d")
    frame.insert(0, "activity_id", [f"A{k + 1:03d}" for k in range(len(frame))])
    return frame.reset_index(drop=True)


def checklist_table(rng: np.random.Generator, units: pd.DataFrame, fy: int) -> pd.DataFrame:
    """``checklist.csv``: the status of every check of the example catalogue, per unit.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    units : pandas.DataFrame
        From :func:`units_table`; weak units have more ``not_done`` checks, odd
        positions write the status in Thai, and one unit has no rows for one activity
        (:data:`~pmqa_analysis.workspace.sample_province.CHECKLIST_GAP`).
    fy : int
        The fiscal year assessed (BE).

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``fiscal_year``, ``activity_code``, ``check_code``, ``status``,
        ``evidence_ref``, ``note``.
    """
    pairs = _check_codes()
    rows = []
    gap_unit, gap_code = CHECKLIST_GAP
    for u, code in enumerate(units["unit_code"]):
        p = (0.45, 0.30, 0.25) if u in WEAK else (0.80, 0.15, 0.05)
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


def assignments_table(units: pd.DataFrame) -> pd.DataFrame:
    """``assignments.csv``: the order assigning the work, a role per unit and activity code.

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`units_table`; the last unit is left without assignments.

    Returns
    -------
    pandas.DataFrame
        ``unit_code``, ``activity_code``, ``role``, ``person`` (empty), ``order_ref``.
    """
    rows = []
    acts = sorted({a for a, _ in _check_codes()})
    for u, code in enumerate(units["unit_code"][:-1]):
        for k, act in enumerate(acts):
            role = _ROLES[(u + k) % len(_ROLES)][0]
            rows.append((code, act, role, "", f"คำสั่งที่ {u + 1}/2566"))
    return pd.DataFrame(rows, columns=["unit_code", "activity_code", "role", "person", "order_ref"])


def approved_plan_table(units: pd.DataFrame, fy: int) -> pd.DataFrame:
    """Last year's approved improvement plan for this year (the round trip's input).

    Weak units promised to lift CS6 satisfaction (they stay weak: late or no
    progress); the improving units promised smaller steps (they make them).

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`units_table`.
    fy : int
        The fiscal year the plan is for (BE); it was approved in ``fy - 1``.

    Returns
    -------
    pandas.DataFrame
        ``improvement_plan.csv``: one approved CS6 action per weak or improving unit.
    """
    codes = list(units["unit_code"])
    rows = []
    picks = [(u, 80.0, 45.0) for u in WEAK] + [(u, 72.0, 68.0) for u in IMPROVING]
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
