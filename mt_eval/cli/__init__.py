"""``mt-eval``: a thin command line over the library.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``; the module's ``run(args)`` returns the exit code.
Exit codes: 0 success (gate passed), 1 gate failed, 2 usage or input error.
Errors the user can fix are printed as one line, never as a traceback.

Only the module of the command being run is imported: the others pull in
pandas, the detectors or the report machinery, which would cost a short
``mt-eval score`` most of its time.  :data:`COMMANDS` gives their one-line
help for ``mt-eval --help``; a module missing from it is still found and
registered (just not lazily), and a test keeps the table in step.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..errors import MtEvalError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# command -> its module's ``help`` (checked by tests/test_cli_lazy.py)
COMMANDS = {
    "check": "find translation errors (boilerplate, segmentation, numbers, untranslated, …)",
    "ci": "gate translated feeds or corpora: thresholds, baselines, CI-native output",
    "detectors": "list the detectors and their documentation",
    "report": "self-contained HTML review report, plus Markdown, JSON and segment tables",
    "score": "BLEU, chrF, chrF++, TER (sacrebleu-exact), CIs and paired tests",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors are usage errors: exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"mt-eval: error: {message}\n")


def command_modules() -> list[str]:
    """Every sub-command module of this package (a directory listing, no import)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``command``, only that command's module is
    imported and the other listed commands get a placeholder (name and help)."""
    parser = _Parser(prog="mt-eval", description="Translation quality: scores, error detectors, CI gates and reports.")
    parser.add_argument("--version", action="version", version=f"mt-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in command_modules():
        if command is not None and name != command and name in COMMANDS:
            sub.add_parser(name, help=COMMANDS[name], add_help=False)
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def _command_of(argv: list[str]) -> str:
    # the top-level options (-h, --version) take no value, so the first
    # word that is not an option names the command
    return next((a for a in argv if not a.startswith("-")), "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except MtEvalError as exc:
        print(f"mt-eval: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mt-eval: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `mt-eval ... | head` is normal use, not an error.
        sys.stderr.close()
        return EXIT_OK
