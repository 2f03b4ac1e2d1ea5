"""The ``pmqa`` command: init, validate, demo, scales, catalogue.

Exit codes: 0 all good, 1 some units failed (reports), 2 a user's mistake (input invalid,
a bad option or --out, the run folder in use), 130 interrupted (``pmqa report --help``).
A user's mistake prints a message, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pmqa_analysis import __version__
from pmqa_analysis.core.errors import PMQAError, ValidationError

__all__ = ["main"]

EXIT_OK = 0
EXIT_UNITS_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
#: the exit codes of ``pmqa report`` (its --help; the README's "Exit codes" paragraph)
REPORT_EXIT_CODES = """\
exit codes / รหัสการจบ:
  0    every report is ok or unchanged (a no-op re-run says what it skipped)
  1    some units (or the province overview) failed; the others are written
  2    a user's mistake, nothing written: invalid workspace, unknown unit or format,
       --out a file or under one, the run folder in use by another run (its pid and
       start time are named)
  130  interrupted (Ctrl-C); run the same command again to finish
"""


def _print_problems(table: object, language: str, out: object = None) -> None:
    from pmqa_analysis.core.problems import format_problems

    stream = out or sys.stdout
    print(format_problems(table, language), file=stream)  # type: ignore[arg-type]


def cmd_init(args: argparse.Namespace) -> int:
    """Create a workspace: blank templates (or the sample data) + settings.toml.

    ``--from-export FILE`` drafts the whole workspace around one form export instead (see
    docs/form_export.md), printing what each column became.
    """
    from pmqa_analysis.core.errors import InputError
    from pmqa_analysis.workspace.config import SETTINGS_FILE, Settings, settings_toml
    from pmqa_analysis.workspace.sample import make_sample_workspace
    from pmqa_analysis.workspace.templates import write_blank_templates

    target = Path(args.dir)
    if args.from_export or args.sheet:  # a draft workspace from one form export
        from pmqa_analysis.workspace.form_export import infer_export
        from pmqa_analysis.workspace.form_export_write import (
            check_target,
            format_draft,
            write_workspace,
        )

        lang = args.language or "th"
        if not args.from_export:
            raise InputError(
                "--sheet ใช้คู่กับ --from-export FILE เท่านั้น / --sheet needs --from-export FILE "
                "(the worksheet of that export)"
            )
        if args.sample or args.broken:
            raise InputError(
                "--from-export ใช้ร่วมกับ --sample หรือ --broken ไม่ได้ เลือกอย่างใดอย่างหนึ่ง / "
                "--from-export cannot be combined with --sample or --broken: choose one"
            )
        check_target(target, lang)
        draft = infer_export(args.from_export, sheet=args.sheet)
        print(format_draft(draft, lang))
        write_workspace(draft, target, province=args.province or "", language=lang)
        print(
            f"พื้นที่ทำงานพร้อมแล้ว: {target}\nขั้นต่อไป: ตรวจรายการ 'ต้องตรวจสอบ' ข้างบน แล้วสั่ง "
            f"`pmqa validate {target}`" if lang == "th" else
            f"workspace ready: {target}\nnext: look at the 'check' column above, then "
            f"`pmqa validate {target}`"
        )  # fmt: skip
        return EXIT_OK
    if target.exists() and any(target.iterdir()) and not args.force:
        raise InputError(
            f"{target} is not empty; choose a new folder or add --force "
            f"/ โฟลเดอร์ {target} มีไฟล์อยู่แล้ว"
        )
    if args.broken:
        import tempfile

        import pandas as pd

        from pmqa_analysis.workspace.sample_broken import make_broken_workspace

        with tempfile.TemporaryDirectory(prefix="pmqa-sample-") as tmp:
            source = make_sample_workspace(Path(tmp) / "sample", seed=args.seed)
            seeded = make_broken_workspace(source, target)
        print(f"the sample workspace with {len(seeded)} seeded problems (for trying validate):")
        for rec in seeded.to_dict("records"):
            row = "" if pd.isna(rec["row"]) else f" row {int(rec['row'])}"
            print(f"  {rec['file']}{row}, column {rec['column']}: {rec['kind']} ({rec['value']!r})")
        print(f"next: `pmqa validate {target}` lists every one of them and exits 2")
        return EXIT_OK
    if args.sample:
        make_sample_workspace(target, seed=args.seed)
    else:
        target.mkdir(parents=True, exist_ok=True)
        write_blank_templates(target, formats=("csv",))
        (target / SETTINGS_FILE).write_text(
            settings_toml(Settings(province=args.province or "")), encoding="utf-8"
        )
    print(f"workspace ready: {target}")
    print(f"next: fill in the templates, then `pmqa validate {target}`")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a workspace; print every problem; exit 2 when there are errors."""
    from pmqa_analysis.workspace.loader import validate_workspace

    table = validate_workspace(args.dir, language=args.language)
    lang = args.language or "th"
    errors = int((table["severity"] == "error").sum())
    warnings = int((table["severity"] == "warning").sum())
    if len(table):
        _print_problems(table, lang)
    if args.problems_csv:
        table.to_csv(args.problems_csv, index=False, encoding="utf-8-sig")
    summary = (
        f"{errors} error(s), {warnings} warning(s)"
        if lang == "en"
        else f"ข้อผิดพลาด {errors} รายการ, คำเตือน {warnings} รายการ"
    )
    print(summary)
    return EXIT_INVALID if errors else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Generate the sample workspace, print the per-unit summary, run the whole batch."""
    import shutil

    from pmqa_analysis.report.workspace_summary import format_overview, unit_overview
    from pmqa_analysis.run.batch import run_report
    from pmqa_analysis.workspace.loader import load_workspace
    from pmqa_analysis.workspace.sample import make_sample_workspace

    out = Path(args.out)
    ws = out / "workspace"
    if args.force:
        shutil.rmtree(ws, ignore_errors=True)
    if not ws.exists():
        make_sample_workspace(ws, seed=args.seed)
    survey = load_workspace(ws, language=args.language)
    lang = args.language or survey.settings.language
    print(f"sample workspace: {ws}")
    if len(survey.warnings):
        _print_problems(survey.warnings, lang)
    table = unit_overview(survey, language=lang)
    print(format_overview(table, survey, lang))
    if args.summary_only:
        return EXIT_OK
    result = run_report(ws, out / "run", workers=args.workers, quiet=args.quiet)
    _print_run(result)
    return int(result.exit_code)


def _print_run(result: object) -> None:
    units = getattr(result, "units")  # noqa: B009
    counts = units["status"].value_counts().to_dict()
    print(f"reports: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")
    for rec in units[units["status"] == "failed"].to_dict("records"):
        print(f"  FAILED {rec['unit_code']}: {rec.get('error', '')}")
    print(f"index.html: {getattr(result, 'index_path')}")  # noqa: B009


def _print_report(result: object) -> None:
    """The report run's summary on stdout (from its records: no pandas on a no-op)."""
    records = list(getattr(result, "records"))  # noqa: B009
    province = getattr(result, "province")  # noqa: B009
    counts: dict[str, int] = {}
    for rec in [*records, *([province] if province else [])]:
        counts[str(rec["status"])] = counts.get(str(rec["status"]), 0) + 1
    print(f"reports: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")
    for rec in records:
        if rec["status"] == "failed":
            print(f"  FAILED {rec['unit_code']}: {rec.get('error', '')}")
    if province and province.get("status") == "failed":
        print(f"  FAILED province overview: {province.get('error', '')}")
    print(f"index.html: {getattr(result, 'index_path')}")  # noqa: B009


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """While the block runs, anything written to stdout (by this process or its children)
    goes to stderr: after it, stdout gets the one JSON document (``--json``)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (an embedding): Python-level redirection only
        saved = -1
    if saved >= 0:
        os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        if saved >= 0:
            os.dup2(saved, 1)
            os.close(saved)


def _json_error(exc: BaseException, stream: TextIO) -> None:
    """A user's mistake as the ``--json`` document (exit code 2)."""
    problems = getattr(exc, "problems", None)
    doc = {
        "exit_code": getattr(exc, "exit_code", EXIT_INVALID), "error": str(exc),
        "kind": type(exc).__name__,
        "problems": len(problems) if problems is not None else 0,
    }  # fmt: skip
    print(json.dumps(doc, ensure_ascii=False), file=stream, flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    """Run the report batch: every unit's assessment, the province overview, the index."""
    from pmqa_analysis.run.batch import run_report

    units = [u.strip() for u in args.units.split(",") if u.strip()] if args.units else None
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())

    def run() -> object:
        return run_report(
            args.dir, args.out, units=units, workers=args.workers, scheduler=args.scheduler,
            formats=formats, notebook=args.notebook, force=args.force, quiet=args.quiet,
        )  # fmt: skip

    if not args.json:
        result = run()
        if not args.quiet:
            _print_report(result)
        return int(getattr(result, "exit_code"))  # noqa: B009
    error: PMQAError | None = None
    with _stdout_to_stderr():
        try:
            result = run()
        except PMQAError as exc:
            error = exc
        else:
            if not args.quiet:
                _print_report(result)  # to stderr: stdout holds the JSON document only
    if error is not None:
        _json_error(error, sys.stdout)
        raise error
    summary = getattr(result, "summary")()  # noqa: B009
    print(json.dumps(summary, ensure_ascii=False, indent=1), flush=True)
    return int(getattr(result, "exit_code"))  # noqa: B009


def cmd_lab(args: argparse.Namespace) -> int:
    """JupyterLab on a work folder: the kit's notebooks (copies) and the sample workspace."""
    from pmqa_analysis.app.lab import run_lab

    return run_lab(
        args.dir, port=args.port, open_browser=not args.no_browser, warm=not args.no_warm
    )


def cmd_app(args: argparse.Namespace) -> int:
    """The browser app (no code): choose, correct, validate, run, open the outputs."""
    from pmqa_analysis.app.server import run_app

    return run_app(
        args.dir, port=args.port, open_browser=not args.no_browser, language=args.language
    )


def cmd_scales(args: argparse.Namespace) -> int:
    """List the built-in Likert scales."""
    from pmqa_analysis.stats.scales import scales_table

    print(scales_table(language=args.language or "th").to_string(index=False))
    return EXIT_OK


def cmd_catalogue(args: argparse.Namespace) -> int:
    """List the activity codes of a catalogue (built-in example by default)."""
    from pmqa_analysis.workspace.criteria import load_catalogue

    cat = load_catalogue(args.path)
    print(f"{cat.name} — version {cat.version}")
    print(cat.activities_table(args.language or "th").to_string(index=False))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``pmqa``."""
    parser = argparse.ArgumentParser(
        prog="pmqa", description="PMQA category-3 survey analysis / วิเคราะห์ข้อมูลหมวด 3 PMQA"
    )
    parser.add_argument("--version", action="version", version=f"pmqa-analysis {__version__}")
    parser.add_argument("--language", choices=("th", "en"), default=None, help="message language")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create a workspace with templates and settings.toml")
    p.add_argument("dir")
    p.add_argument("--sample", action="store_true", help="fill it with the sample data")
    p.add_argument(
        "--broken",
        action="store_true",
        help="the sample data with known problems seeded in (to try `pmqa validate`)",
    )
    p.add_argument("--province", default="")
    p.add_argument("--seed", type=int, default=2567)
    p.add_argument("--force", action="store_true")
    p.add_argument(
        "--from-export",
        default=None,
        metavar="FILE",
        help="draft the whole workspace from one Google Forms (CSV) or Microsoft Forms (XLSX) "
        "export, kept as it is; DIR must be new or empty",
    )
    p.add_argument("--sheet", default=None, help="the worksheet of an XLSX export (default first)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("validate", help="check a workspace and list every problem")
    p.add_argument("dir")
    p.add_argument("--problems-csv", default=None, help="also write the problems table here")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("demo", help="run the kit on the bundled sample workspace")
    p.add_argument("--out", default="reports/demo")
    p.add_argument("--seed", type=int, default=2567)
    p.add_argument("--force", action="store_true", help="regenerate the sample workspace")
    p.add_argument("--workers", type=int, default=None, help="parallel notebook runs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--summary-only", action="store_true", help="print the summary, no reports")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "report",
        help="write every unit's assessment report",
        description="Write every unit's assessment report, the province overview and "
        "index.html into a run folder; a re-run redoes only what changed "
        "/ เขียนรายงานทุกหน่วยงาน ภาพรวมจังหวัด และ index.html",
        epilog=REPORT_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", help="the workspace folder")
    p.add_argument("--out", default=None, help="run folder (default reports/<run-id>)")
    p.add_argument("--units", default=None, help="comma-separated unit codes (default all)")
    p.add_argument("--workers", type=int, default=None, help="parallel runs (default cores)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--formats", default="html,xlsx", help="html,xlsx,pdf")
    p.add_argument("--notebook", default=None, help="your own parameterized unit notebook")
    p.add_argument("--force", action="store_true", help="redo units even if unchanged")
    p.add_argument("--quiet", action="store_true", help="no progress bar (cron)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON summary on stdout (exit code, per-unit status, timings, paths) "
        "and nothing else there; messages go to stderr (schedulers)",
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("lab", help="JupyterLab on the kit's notebooks with the sample ready")
    p.add_argument("dir", nargs="?", default="pmqa-lab", help="work folder (default pmqa-lab)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--no-browser", action="store_true", help="print the address only")
    p.add_argument("--no-warm", action="store_true", help="do not prepare the sample run now")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("app", help="the browser app: validate and report with no code")
    p.add_argument(
        "dir", nargs="?", default=".", help="a folder, a workspace or a form export (default .)"
    )
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--no-browser", action="store_true", help="print the address only")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("scales", help="list the built-in Likert scales")
    p.set_defaults(func=cmd_scales)

    p = sub.add_parser("catalogue", help="list the activity codes of the criteria catalogue")
    p.add_argument("path", nargs="?", default=None)
    p.set_defaults(func=cmd_catalogue)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pmqa`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        lang = args.language or "th"
        _print_problems(exc.problems, lang, sys.stderr)
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except PMQAError as exc:
        print(f"pmqa: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        import logging

        # notebook executions cut short by Ctrl-C end as asyncio tasks whose "kernel died"
        # would otherwise be printed as a traceback at exit; the run is reported here
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print("pmqa: interrupted; run the same command again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
