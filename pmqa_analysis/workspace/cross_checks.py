"""Checks between the files of a workspace, after each file was parsed on its own.

Codes used in one file must exist in their reference file (units, groups, channels,
service standards, the catalogue's activity and checklist codes); names in code columns
become codes first (:mod:`pmqa_analysis.workspace.mapping`); the improvement plan's own
rules; the sample-size warnings against each unit's service population.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pmqa_analysis.core.problems import ProblemLog
from pmqa_analysis.stats.sampling import LARGE_POPULATION, sample_size
from pmqa_analysis.workspace.criteria import Catalogue
from pmqa_analysis.workspace.mapping import (
    CODE_COLUMNS,
    codes_from_names,
    generate_respondent_ids,
    near_names,
)
from pmqa_analysis.workspace.schema import ParsedTable, report_rows

__all__ = ["cross_checks", "names_and_ids", "plan_checks", "sample_warnings"]


def _check_codes(
    log: ProblemLog, parsed: ParsedTable, column: str, known: pd.Series | list[str],
    what: str, what_th: str, source: str, *, reference: pd.DataFrame | None = None,
) -> None:  # fmt: skip
    """Report values of ``column`` that are neither a known code nor a name of one.

    Names were already turned into codes
    (:func:`~pmqa_analysis.workspace.mapping.codes_from_names`); what is left is unknown,
    reported with the nearest codes or names of ``reference``.
    """
    values = parsed.frame[column]
    filled = values.notna().to_numpy()
    known_list = [str(k) for k in known]
    bad = filled & ~values.isin(known_list).to_numpy()
    if not bad.any():
        return
    shown = ", ".join(known_list[:12]) + (" …" if len(known_list) > 12 else "")
    header = parsed.headers.get(column, column)
    for value in pd.unique(values[bad]):
        rows = bad & (values == value).fillna(False).to_numpy(dtype=bool)
        near = near_names(value, reference, column)
        hint, hint_th = (
            f"add it to {source} or correct the code",
            f"เพิ่มใน {source} หรือแก้ไขรหัสให้ถูกต้อง",
        )
        if near:
            hint = f"did you mean {' / '.join(near)}? Otherwise " + hint
            hint_th = f"หมายถึง {' / '.join(near)} หรือไม่ มิฉะนั้น" + hint_th
        report_rows(
            log, f"unknown_{column}", parsed.file, header, parsed.rows[rows], values[rows],
            f"a {what} (or its name) listed in {source} ({shown})",
            f"{what_th} (หรือชื่อ) ที่มีใน {source} ({shown})", hint, hint_th,
        )  # fmt: skip


def names_and_ids(parsed: dict[str, ParsedTable]) -> None:
    """Names in code columns become codes; a responses file without ids gets generated ones."""
    frames = {name: table.frame for name, table in parsed.items()}
    for name in ("groups", "service_standards", *CODE_COLUMNS):  # references before users
        if name in parsed:
            table = parsed[name]
            frame = codes_from_names(frames, name, table.frame)
            ids = frame["respondent_id"] if name == "responses" else None
            if ids is not None and bool(ids.isna().any()):  # blank or no id column
                made = generate_respondent_ids(table.file, table.rows)
                made.index = ids.index
                frame = frame.assign(respondent_id=ids.fillna(made).astype(ids.dtype))
            if frame is not table.frame:
                parsed[name] = dataclasses.replace(table, frame=frame)
                frames[name] = frame


def cross_checks(parsed: dict[str, ParsedTable], data: dict[str, Any], log: ProblemLog) -> None:
    units = data["units"]["unit_code"] if data.get("units") is not None else None
    groups = data["groups"]["group_code"] if data.get("groups") is not None else None
    channels = data["channels"]["channel_code"] if data.get("channels") is not None else None
    src = {k: f"{k}{Path(p.file).suffix}" for k, p in parsed.items()}
    for name in ("responses", "complaints", "service_standards", "service_log",
                 "activities", "checklist", "groups", "assignments",
                 "improvement_plan"):  # fmt: skip
        if name not in parsed or units is None:
            continue
        _check_codes(log, parsed[name], "unit_code", units, "unit code", "รหัสหน่วยงาน",
                     src.get("units", "units.csv"), reference=data.get("units"))  # fmt: skip
    for name in ("responses", "complaints", "activities"):
        if name in parsed and groups is not None:
            _check_codes(log, parsed[name], "group_code", groups, "group code", "รหัสกลุ่ม",
                         src.get("groups", "groups.csv"), reference=data.get("groups"))  # fmt: skip
    for name in ("responses", "complaints"):
        if name in parsed and channels is not None:
            _check_codes(log, parsed[name], "channel_code", channels, "channel code",
                         "รหัสช่องทาง", src.get("channels", "channels.csv"),
                         reference=data.get("channels"))  # fmt: skip
    if "service_log" in parsed:  # absent standards load as an empty frame: every row fails
        std = data["service_standards"]
        log_df = data["service_log"]
        key_std = set(zip(std["unit_code"], std["service_code"], strict=True))
        pairs = list(zip(log_df["unit_code"], log_df["service_code"], strict=True))
        bad = np.array(
            [pd.notna(s) and pd.notna(u) and (u, s) not in key_std for u, s in pairs], dtype=bool
        )
        if bad.any():
            pl = parsed["service_log"]
            report_rows(
                log, "unknown_service", pl.file, "service_code", pl.rows[bad],
                log_df["service_code"][bad],
                "a service listed for this unit in service_standards",
                "บริการที่มีในมาตรฐานการให้บริการ (service_standards) ของหน่วยงานนี้",
                "add the service's standard or correct the code",
                "เพิ่มมาตรฐานของบริการนี้ หรือแก้รหัสบริการ",
            )  # fmt: skip
    if "complaints" in parsed:
        c = data["complaints"]
        pc = parsed["complaints"]
        before = (c["closed_date"] < c["received_date"]).fillna(False).to_numpy(dtype=bool)
        if before.any():
            report_rows(
                log, "closed_before_received", pc.file, "closed_date", pc.rows[before],
                c["closed_date"][before].dt.strftime("%Y-%m-%d"),
                "a closing date on or after the date received",
                "วันที่ปิดเรื่องต้องไม่ก่อนวันที่รับเรื่อง",
                "check both dates (BE/CE mix-ups are common)", "ตรวจสอบวันที่ทั้งสอง (พ.ศ./ค.ศ.)",
            )  # fmt: skip
        no_close = ((c["status"] == "closed") & c["closed_date"].isna()).fillna(False)
        if no_close.any():
            m = no_close.to_numpy(dtype=bool)
            report_rows(
                log, "closed_without_date", pc.file, "closed_date", pc.rows[m],
                c["status"][m], "a closing date for a closed complaint",
                "วันที่ปิดเรื่องสำหรับเรื่องที่เสร็จสิ้น",
                "days to close cannot be computed for these rows",
                "คำนวณระยะเวลาปิดเรื่องไม่ได้สำหรับแถวเหล่านี้", severity="warning",
            )  # fmt: skip
    cat = data["catalogue"]
    acts = list(cat.list_codes("activity"))
    for name in ("checklist", "assignments", "improvement_plan"):
        if name in parsed:
            _check_codes(log, parsed[name], "activity_code", acts, "activity code",
                         "รหัสกิจกรรม", f"the catalogue '{cat.name}'")  # fmt: skip
    if "checklist" in parsed:
        pcl = parsed["checklist"]
        checks = list(cat.checklist_table()["check_code"])
        _check_codes(log, pcl, "check_code", checks, "checklist item code",
                     "รหัสรายการหลักฐาน", f"the catalogue '{cat.name}'")  # fmt: skip


def plan_checks(path: Path, catalogue: Catalogue, log: ProblemLog) -> None:
    """The plan's own rules (approved rows need an approver and a date, ...)."""
    from pmqa_analysis.workspace.plan_file import check_plan

    _, plan_log, _ = check_plan(path, catalogue)
    if not plan_log.has_errors:
        return  # the plan's warnings are shown when it is read for the report
    seen = {(p.file, p.row, p.column) for p in log.problems}
    for problem in plan_log.problems:
        if (problem.file, problem.row, problem.column) not in seen:  # not already reported
            log.problems.append(problem)


def sample_warnings(data: dict[str, Any], log: ProblemLog, files: Mapping[str, str]) -> None:
    resp, units, s = data.get("responses"), data.get("units"), data["settings"]
    if resp is None or units is None or not len(resp):
        return
    fy = s.fiscal_year or int(resp["fiscal_year"].max())
    counts = resp.loc[resp["fiscal_year"] == fy, "unit_code"].value_counts()
    pop = units["service_population"].astype("float64").to_numpy(na_value=np.nan)
    unknown = np.isnan(pop)
    pop = np.where(unknown, LARGE_POPULATION, pop)
    need = np.asarray(sample_size(pop, method=s.sample_size_method, e=s.margin_of_error))
    for code, blank in zip(units["unit_code"], unknown, strict=True):
        if blank:
            log.add(
                "unknown_population", file=Path(files.get("units", "units.csv")).name,
                # the cell is empty: nothing "found" to show; the unit is named instead
                column="service_population", value=None,
                expected=f"unit {code}: its yearly service recipients (the cell is empty)",
                expected_th=f"หน่วยงาน {code}: จำนวนผู้รับบริการต่อปี (ช่องนี้ว่าง)",
                hint="blank: the sample size of a large population is used; fill it in",
                hint_th="ว่างไว้: ใช้ขนาดตัวอย่างของประชากรขนาดใหญ่ ควรกรอกจำนวนจริง",
                severity="warning",
            )  # fmt: skip
    for code, required in zip(units["unit_code"], need, strict=True):
        n = int(counts.get(code, 0))
        if n < int(required):
            log.add(
                "sample_below_required", file=Path(files.get("responses", "responses")).name,
                column="unit_code", value=code,
                expected=f"at least {int(required)} responses in FY{fy} ({s.sample_size_method})",
                expected_th=f"อย่างน้อย {int(required)} ราย ในปีงบประมาณ {fy}",
                hint=f"only {n} responses: results are less precise",
                hint_th=f"มีผู้ตอบเพียง {n} ราย ผลมีความคลาดเคลื่อนสูงขึ้น",
                severity="warning",
            )  # fmt: skip
