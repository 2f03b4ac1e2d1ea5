"""The public API re-exported by ``pmqa_analysis`` resolves, lazily."""

from __future__ import annotations

import subprocess
import sys

import pmqa_analysis as pa


def test_every_public_name_resolves() -> None:
    for name in pa.__all__:
        assert getattr(pa, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        pa.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_is_light() -> None:
    code = "import sys, pmqa_analysis; print('scipy' in sys.modules, 'pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
