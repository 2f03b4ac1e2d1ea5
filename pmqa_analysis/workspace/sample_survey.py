"""The sample workspace's survey: the questionnaire and three years of answers to it.

:func:`responses_table` draws Google-Forms-like responses (Thai labels, BE timestamps,
demographics, open comments with a little FAKE personal data) whose satisfaction
carries the structure described in :mod:`pmqa_analysis.workspace.sample`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pmqa_analysis.workspace.sample_province import (
    CHANNELS,
    DISSATISFIED_GROUP,
    GROUPS,
    IMPROVING,
    UNDERSAMPLED,
    WEAK,
    fake_pii,
    fy_dates,
)

__all__ = ["questionnaire_table", "responses_table"]

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
_SEX = (("ชาย", 0.44), ("หญิง", 0.53), ("ไม่ระบุ", 0.03))
_AGES = ("ต่ำกว่า 20 ปี", "20-29 ปี", "30-39 ปี", "40-49 ปี", "50-59 ปี", "60 ปีขึ้นไป")
_AGE_P = (0.05, 0.18, 0.24, 0.24, 0.18, 0.11)
_EDUCATION = ("ประถมศึกษา", "มัธยมศึกษา/ปวช.", "อนุปริญญา/ปวส.", "ปริญญาตรี", "สูงกว่าปริญญาตรี")
_EDU_P = (0.15, 0.28, 0.15, 0.33, 0.09)
_OCCUPATION = ("เกษตรกร", "ค้าขาย/ธุรกิจส่วนตัว", "รับจ้าง", "รับราชการ", "พนักงานบริษัท",
               "นักเรียน/นักศึกษา", "อื่น ๆ")  # fmt: skip
_OCC_P = (0.2, 0.2, 0.2, 0.15, 0.12, 0.06, 0.07)


def _yamane(population: int, e: float = 0.05) -> int:
    return math.ceil(population / (1 + population * e * e))


def questionnaire_table() -> pd.DataFrame:
    """``questionnaire.csv``: 20 items on scale ``th5``, four per dimension, two reversed.

    Returns
    -------
    pandas.DataFrame
        ``item_code`` (Q01, ...), ``dimension_code``, ``dimension_th``, ``dimension_en``,
        ``item_th``, ``item_en``, ``scale``, ``reverse`` (yes/no), ``column_header`` (the
        Thai item text, as a Google Form names its columns).

    Examples
    --------
    >>> q = questionnaire_table()
    >>> len(q), int(q["reverse"].eq("yes").sum()), q["dimension_code"].nunique()
    (20, 2, 5)
    """
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


def responses_table(
    rng: np.random.Generator,
    units: pd.DataFrame,
    services: pd.DataFrame,
    fiscal_years: tuple[int, ...],
    per_unit_year: tuple[int, int],
    reach_sample_size: bool,
) -> pd.DataFrame:
    """The responses file: one row per respondent, Thai answer labels, BE timestamps.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's stream.
    units : pandas.DataFrame
        From :func:`~pmqa_analysis.workspace.sample_records.units_table`.
    services : pandas.DataFrame
        From :func:`~pmqa_analysis.workspace.sample_records.services_table` (each
        respondent names one of the unit's services).
    fiscal_years : tuple of int
        Fiscal years (BE); the latest is the current one.
    per_unit_year : (int, int)
        Inclusive range of respondents per unit and fiscal year.
    reach_sample_size : bool
        Raise every unit but the under-sampled ones to its Yamane sample size in the
        current fiscal year.

    Returns
    -------
    pandas.DataFrame
        ``ประทับเวลา`` (``d/m/yyyy, H:MM:SS`` in BE), ``respondent_id``, unit, group,
        channel, demographics, ``service_code``, one column per item (headed by its
        Thai text) and the three comment columns; in time order.
    """
    n_units = len(units)
    current = max(fiscal_years)
    base = 4.3 + rng.normal(0.0, 0.08, n_units)
    rows: list[tuple[int, int]] = []  # (unit position, fiscal year)
    for u in range(n_units):
        for fy in sorted(fiscal_years):
            n = int(rng.integers(per_unit_year[0], per_unit_year[1] + 1))
            if reach_sample_size and fy == current and u not in UNDERSAMPLED:
                n = max(
                    n, _yamane(int(units["service_population"].iloc[u])) + int(rng.integers(3, 15))
                )
            rows += [(u, fy)] * n
    unit_pos = np.array([r[0] for r in rows])
    years = np.array([r[1] for r in rows])
    n = len(rows)
    # groups: G7 only in its own unit
    g_codes = [g[0] for g in GROUPS]
    g_p = np.array([g[6] for g in GROUPS])
    groups = rng.choice(len(GROUPS), size=n, p=g_p / g_p.sum())
    own = GROUPS[-1][5]
    in_own = (unit_pos == own) & (rng.random(n) < 0.3)
    groups[in_own] = len(GROUPS) - 1
    c_p = np.array([c[3] for c in CHANNELS])
    channels = rng.choice(len(CHANNELS), size=n, p=c_p / c_p.sum())
    # latent satisfaction
    dim_codes = [d[0] for d in _DIMENSIONS]
    unit_level = base.copy()
    for u in WEAK:
        if u < n_units:
            unit_level[u] = 3.6
    lat = unit_level[unit_pos] + rng.normal(0.0, 0.45, n)
    for u in IMPROVING:
        lat[unit_pos == u] += 0.3 * (years[unit_pos == u] - current)
    lat[groups == g_codes.index(DISSATISFIED_GROUP)] -= 0.55
    item_shift = rng.normal(0.0, 0.08, len(_ITEMS))
    dim_of_item = np.repeat(np.arange(len(_DIMENSIONS)), 4)
    item_lat = (
        lat[:, None]
        + np.array([d[3] for d in _DIMENSIONS])[dim_of_item][None, :]
        + item_shift[None, :]
        + rng.normal(0.0, 0.65, (n, len(_ITEMS)))
    )
    for u, dim in WEAK.items():
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
        dates = fy_dates(rng, fy, int(m.sum()))
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
            "channel_code": np.array([c[0] for c in CHANNELS])[channels],
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
        out[col][i] = (out[col][i] or "อยากให้ติดต่อกลับ") + fake_pii(rng, k)
    return pd.DataFrame(out)
