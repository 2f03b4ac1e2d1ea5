"""The app's words, Thai and English (the kit's ``--language``).

Examples
--------
>>> t("run", "en"), t("run", "th")
('Make the reports', 'สร้างรายงาน')
"""

from __future__ import annotations

__all__ = ["TEXTS", "t"]

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("ชุดวิเคราะห์ข้อมูล PMQA หมวด 3", "PMQA category 3 analysis kit"),
    "subtitle": (
        "ทำงานในเครื่องนี้เท่านั้น ไม่ส่งข้อมูลออกไปที่ใด",
        "Runs on this computer only; no data leaves it",
    ),
    "language": ("ภาษา", "Language"),
    "step1": ("1. เลือกข้อมูล", "1. Choose the data"),
    "step1_help": (
        "โฟลเดอร์พื้นที่ทำงาน (มี settings.toml) หรือไฟล์คำตอบที่ดาวน์โหลดจาก Google Forms / "
        "Microsoft Forms (CSV, XLSX)",
        "A workspace folder (with settings.toml) or a form export downloaded from Google Forms "
        "or Microsoft Forms (CSV, XLSX)",
    ),
    "source": ("ข้อมูล", "Data"),
    "source_placeholder": ("พิมพ์หรือเลือกที่อยู่", "type or pick a path"),
    "open": ("เปิด", "Open"),
    "opened_workspace": ("พื้นที่ทำงาน: {path}", "workspace: {path}"),
    "opened_export": (
        "ไฟล์คำตอบ {name}: {rows} แถว ตรวจบทบาทของแต่ละคอลัมน์ แก้ได้ที่ช่องเลือก แล้วกดบันทึก (ไฟล์เดิมไม่ถูกแก้ไข)",
        "form export {name}: {rows} rows. Check each column's role, correct it in the drop-downs, "
        "then save (the export itself is not changed)",
    ),
    "not_found": ("ไม่พบ {path}", "not found: {path}"),
    "not_a_source": (
        "{path} ไม่ใช่พื้นที่ทำงาน (ไม่มี settings.toml) และไม่ใช่ไฟล์ CSV/XLSX",
        "{path} is neither a workspace (no settings.toml) nor a CSV/XLSX export",
    ),
    "col_header": ("คอลัมน์ในไฟล์", "export column"),
    "col_role": ("บทบาท", "role"),
    "col_scale": ("มาตรวัด", "scale"),
    "col_check": ("ต้องตรวจสอบ", "check"),
    "units_table": ("หน่วยงาน (ชื่อภาษาไทยตามคำตอบในแบบฟอร์ม)", "Units (Thai name as answered)"),
    "unit_code": ("รหัส", "code"),
    "unit_th": ("ชื่อ (ไทย)", "name (Thai)"),
    "unit_en": ("ชื่อ (อังกฤษ)", "name (English)"),
    "target": ("บันทึกเป็นพื้นที่ทำงานที่", "save as the workspace"),
    "province": ("จังหวัด", "province"),
    "save": ("บันทึกพื้นที่ทำงาน", "Save the workspace"),
    "saved": ("บันทึกแล้ว: {path} (ไฟล์คำตอบคัดลอกไว้ตามเดิม)", "saved: {path} (export copied as is)"),
    "blocking": ("ยังบันทึกไม่ได้:", "cannot save yet:"),
    "step2": ("2. ตรวจสอบข้อมูล", "2. Validate"),
    "validate": ("ตรวจสอบ", "Validate"),
    "checking": ("กำลังตรวจสอบ…", "checking…"),
    "no_problems": ("ไม่พบปัญหา", "no problems found"),
    "summary": (
        "ข้อผิดพลาด {errors} รายการ, คำเตือน {warnings} รายการ",
        "{errors} error(s), {warnings} warning(s)",
    ),
    "fix_first": (
        "แก้ข้อผิดพลาดในไฟล์ก่อน แล้วกดตรวจสอบอีกครั้ง (ยังสร้างรายงานไม่ได้)",
        "fix the errors in the files, then validate again (reports cannot run yet)",
    ),
    "ready": ("พร้อมสร้างรายงาน", "ready to make the reports"),
    "filter_severity": ("แสดง", "show"),
    "all": ("ทั้งหมด", "all"),
    "error": ("ข้อผิดพลาด", "errors"),
    "warning": ("คำเตือน", "warnings"),
    "filter_text": ("ค้นหา", "search"),
    "showing": ("แสดง {shown} จาก {total} รายการ", "showing {shown} of {total}"),
    "download": ("ดาวน์โหลดตารางปัญหา:", "download the problems:"),
    "p_severity": ("ระดับ", "severity"),
    "p_file": ("ไฟล์", "file"),
    "p_row": ("แถว", "row"),
    "p_column": ("คอลัมน์", "column"),
    "p_value": ("พบ", "found"),
    "p_expected": ("ที่ควรเป็น", "expected"),
    "p_hint": ("วิธีแก้", "fix"),
    "step3": ("3. สร้างรายงาน", "3. Make the reports"),
    "units": ("หน่วยงานที่จะสร้างรายงาน", "Units to report on"),
    "run": ("สร้างรายงาน", "Make the reports"),
    "stop": ("หยุด", "Stop"),
    "validate_first": ("ตรวจสอบข้อมูลก่อน (ขั้นที่ 2)", "validate first (step 2)"),
    "choose_units": ("เลือกอย่างน้อยหนึ่งหน่วยงาน", "choose at least one unit"),
    "running": ("กำลังสร้างรายงาน… ({done}/{total})", "making the reports… ({done}/{total})"),
    "finished": ("เสร็จแล้ว: {summary}", "done: {summary}"),
    "stopped": (
        "หยุดแล้ว หน่วยที่เสร็จแล้วเก็บไว้ กดสร้างรายงานอีกครั้งเพื่อทำต่อ",
        "stopped; finished units are kept: make the reports again to go on",
    ),
    "refused": ("คำสั่งสร้างรายงานไม่ทำงาน:", "the report command refused:"),
    "st_waiting": ("รอ", "waiting"),
    "st_running": ("กำลังทำ", "running"),
    "st_ok": ("เสร็จ", "done"),
    "st_skipped": ("ไม่เปลี่ยน (ข้าม)", "unchanged (skipped)"),
    "st_failed": ("ไม่สำเร็จ", "failed"),
    "st_stopped": ("หยุด", "stopped"),
    "step4": ("4. เปิดผลลัพธ์", "4. Open the outputs"),
    "no_outputs": ("ยังไม่มีผลลัพธ์", "no outputs yet"),
    "run_folder": ("โฟลเดอร์ผลลัพธ์: {path}", "run folder: {path}"),
    "province_files": ("ทั้งจังหวัด", "province"),
}


def t(key: str, language: str = "th", **fields: object) -> str:
    """The text ``key`` in ``language``, with ``fields`` filled in."""
    th, en = TEXTS[key]
    text = en if language == "en" else th
    return text.format(**fields) if fields else text
