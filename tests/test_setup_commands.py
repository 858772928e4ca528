"""The README's two set-up commands and `.ci/run`, as a fresh clone sees them.

A fresh machine has no virtual environment: `make demo` and `make test` must
each create one before using it.  `make -n` prints the plan without running
it, so a broken dependency chain (a target that depends on itself and never
creates the venv) shows up here instead of on a user's machine.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", setup, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def _plan(target: str, tmp_path: Path) -> tuple[str, str]:
    venv = tmp_path / "fresh-venv"
    done = subprocess.run(["make", "-n", "-C", str(REPO), target, f"VENV={venv}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def test_readme_has_exactly_the_two_commands():
    assert _readme_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*(exec\s+)?make test\b", script, re.M), script


@pytest.mark.parametrize("target", ["demo", "test"])
def test_make_target_builds_its_venv_first(target, tmp_path):
    out, err = _plan(target, tmp_path)
    assert "Circular" not in err, err
    lines = out.splitlines()
    create = next(i for i, line in enumerate(lines) if re.search(r"-m venv\b", line))
    first_use = next(i for i, line in enumerate(lines) if "fresh-venv/bin/" in line)
    assert create < first_use, out
