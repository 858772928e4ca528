"""Atomic writes: whole files or nothing, with ordinary permissions."""
from __future__ import annotations

import os
import stat

import pytest

from mt_eval.errors import InputError
from mt_eval.fileio import atomic_write, open_input


def test_new_file_gets_the_umask_permissions_not_mkstemps_private_ones(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "r.html") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def test_an_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target) as fh:
            fh.write("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


@pytest.mark.parametrize("make, problem", [(lambda p: None, "file not found"),
                                           (lambda p: p.mkdir(), "is a directory")])
def test_open_input_names_the_path_and_problem(tmp_path, make, problem):
    path = tmp_path / "in.txt"
    make(path)
    with pytest.raises(InputError, match=problem) as err:
        open_input(path)
    assert str(path) in str(err.value)


def test_writing_over_a_directory_or_where_nothing_can_be_written_is_a_usage_error(tmp_path):
    from mt_eval.errors import UsageError
    with pytest.raises(UsageError, match="is a directory; give a file name"):
        with atomic_write(tmp_path) as fh:
            fh.write("x")
    with pytest.raises(UsageError, match="cannot write here"):
        with atomic_write("/proc/mt_eval_test.txt") as fh:
            fh.write("x")
