"""``mt-eval``: a thin command line over the library.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``; the module's ``run(args)`` returns the exit code.
Exit codes: 0 success (gate passed), 1 gate failed, 2 usage or input error.
Errors the user can fix are printed as one line, never as a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..errors import MtEvalError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors are usage errors: exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"mt-eval: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mt-eval", description="Translation quality: scores, error detectors, CI gates and reports.")
    parser.add_argument("--version", action="version", version=f"mt-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
