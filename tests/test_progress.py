"""Progress bars start no thread: worker processes are forked while a bar is
shown, and a fork must not copy a process with a second thread."""
import threading

from mt_eval.progress import progress


def test_a_shown_bar_starts_no_thread(capsys):
    before = set(threading.enumerate())
    with progress(100_000, "checking", True) as advance:
        advance(10)
        assert set(threading.enumerate()) == before
    assert "checking" in capsys.readouterr().err
