"""Reference-free error detectors (see :mod:`.base` for the model)."""
from .base import Category, CorpusContext, Detector, DocumentContext, Finding, Option, Segment, Severity
from .registry import all_detectors, register, select
from .runner import CheckResult, check, check_corpus

__all__ = ["Category", "CorpusContext", "Detector", "DocumentContext", "Finding", "Option", "Segment",
           "Severity", "all_detectors", "register", "select", "check", "check_corpus", "CheckResult"]
