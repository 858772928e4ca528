"""Corpora and findings shared by the report tests (fixtures in conftest.py).

``seed_corpus`` is the motivating article (document ``mali-kidal``): the
scraped machine translation (``scraped-mt``, with its gender leak,
segmentation artefacts and boilerplate) and a careful one, with a French
source and an English reference.  ``seed_checks`` runs small detectors
written here against it, so these tests do not depend on which real
detectors exist; one test also runs the real registry.
"""
from __future__ import annotations

import re

import mt_eval
from mt_eval import Corpus
from mt_eval.detectors import runner
from mt_eval.detectors.base import Category, Detector, Severity

SEED = [
    ("Au Mali, la junte annonce la prise de Kidal, bastion de la rébellion touareg",
     "In Mali, the junta announces the capture of Kidal, bastion of the Tuareg rebellion",
     "In Mali, the junta announces the capture of Kidal, stronghold of the Tuareg rebellion",
     "In Mali, the junta announces the capture of Kidal, a stronghold of the Tuareg rebellion"),
    ("L'armée malienne s'est emparée de la ville stratégique de Kidal, ont annoncé mardi 14 novembre "
     "le chef de la junte et l'état-major. La prise de Kidal, si elle se confirme, est un succès "
     "symbolique considérable pour la junte.",
     "The Malian army has captured the strategic town of Kidal, the head of the ruling junta and the "
     "general staff announced on Tuesday, November 14. . The capture of Kidal, if confirmed, is a "
     "considerable symbolic success for the junta.",
     "The Malian army has seized the strategic town of Kidal, the head of the junta and the general "
     "staff announced on Tuesday 14 November. The capture of Kidal, if confirmed, is a considerable "
     "symbolic success for the junta.",
     "The Malian army has taken the strategic town of Kidal, the head of the junta and the general "
     "staff announced on Tuesday, November 14. The capture of Kidal, if confirmed, is a major "
     "symbolic success for the junta."),
    ("L'armée a appelé la population au calme, ajoutant que ses opérations se poursuivaient. Elle a "
     "assuré qu'elle avait pris des dispositions pour garantir la sécurité des habitants.",
     "The army called on the population for calm, adding that its operations were continuing. She "
     "assured that she had taken steps to ensure the safety of the residents.",
     "The army called on the population to remain calm, adding that its operations were continuing. "
     "It said it had taken steps to ensure the safety of residents.",
     "The army called for calm, adding that its operations were continuing. It said it had taken "
     "steps to ensure the safety of the residents."),
    ("Le retrait de la mission de l'ONU a déclenché une course pour le contrôle du territoire, les "
     "djihadistes tentant d'en profiter pour renforcer leur emprise.",
     "The withdrawal of the UN Mission triggered a race for control of the territory, with the "
     "jihadists trying to take advantage of it. to strengthen their hold.",
     "The withdrawal of the UN mission triggered a race for control of the territory, with the "
     "jihadists trying to take advantage of it to strengthen their hold.",
     "The withdrawal of the UN mission set off a race to control the territory, with jihadists "
     "trying to take advantage of it to tighten their grip."),
    ("La Minusma a quitté son camp de Kidal le 31 octobre.",
     "Minusma left its Kidal camp on October 31.\nExit mobile version",
     "Minusma left its Kidal camp on 31 October.",
     "Minusma left its camp in Kidal on October 31."),
]


def seed_records(doc_id: str = "mali-kidal", systems=("scraped-mt", "careful-mt")):
    for i, (src, scraped, careful, ref) in enumerate(SEED, 1):
        hyps = dict(zip(systems, (scraped, careful)))
        yield {"doc_id": doc_id, "seg_id": i, "source": src, "references": [ref],
               "hypotheses": hyps, "src_lang": "fr", "tgt_lang": "en"}


def seed_corpus() -> Corpus:
    return Corpus.from_records(list(seed_records()), name="news-fr-en")


class Boilerplate(Detector):
    """Test double: the mobile-theme footer line."""
    code = "TST001"
    name = "test.boilerplate"
    severity = Severity.MAJOR
    category = Category.ADDITION

    def check_segment(self, seg):
        for m in re.finditer(r"Exit mobile version", seg.hypothesis):
            yield self.finding(seg, m.start(), m.end(), "Scraped web boilerplate, not part of the article",
                               suggestion="delete this line")


class DoubledStop(Detector):
    """Test double: doubled full stops and a stop inside a sentence."""
    code = "TST002"
    name = "test.segmentation"
    severity = Severity.MINOR
    category = Category.PUNCTUATION

    def check_segment(self, seg):
        for m in re.finditer(r"\. \.", seg.hypothesis):
            yield self.finding(seg, m.start(), m.end(), "Doubled sentence stop", suggestion=".")
        for m in re.finditer(r"\w\. (?=[a-z])", seg.hypothesis):
            yield self.finding(seg, m.start() + 1, m.start() + 2, "Full stop before a lower-case word",
                               suggestion="")


class PronounLeak(Detector):
    """Test double: 'she' for French 'elle' about an inanimate antecedent."""
    code = "TST003"
    name = "test.gender-leak"
    severity = Severity.CRITICAL
    category = Category.MISTRANSLATION
    needs = frozenset({"hypothesis", "source"})

    def check_segment(self, seg):
        if "Elle" not in seg.source and "elle" not in seg.source:
            return
        for m in re.finditer(r"\b[Ss]he\b", seg.hypothesis):
            yield self.finding(seg, m.start(), m.end(), "'elle' refers to l'armée: use 'it'",
                               suggestion="it", confidence=0.8)


TEST_DETECTORS = (Boilerplate, DoubledStop, PronounLeak)


def seed_checks(corpus: Corpus):
    return runner.run(corpus, [cls() for cls in TEST_DETECTORS])


# Payloads that would run script if any of them reached the page as markup:
# each bumps window.__pwned.  The browser test also checks the DOM for
# attributes and elements they would create.
PAYLOADS = (
    "<script>window.__pwned=(window.__pwned||0)+1</script>",
    '"><img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
    "javascript:window.__pwned=(window.__pwned||0)+1",
    "'><svg onload=window.__pwned=(window.__pwned||0)+1>",
    "</script><script>window.__pwned=(window.__pwned||0)+1</script><!--",
    "\u2028x\u2029 & &amp; <b>bold</b> `code` [link](javascript:alert(1)) @team",
)


def hostile(i: int, tag: str = "") -> str:
    return f"{tag}{PAYLOADS[i % len(PAYLOADS)]}"


def hostile_corpus() -> Corpus:
    """Outside text in every field: doc ids, system names, texts, references
    and metadata (a javascript: URL among them)."""
    sys_a, sys_b = hostile(0, "A"), hostile(1, "B")
    records = []
    for d in range(2):
        for s in range(1, 4):
            k = d * 3 + s
            records.append({
                "doc_id": hostile(k, f"doc{d}"), "seg_id": s,
                "source": "Elle a dit " + hostile(k + 1), "references": ["She said " + hostile(k + 2)],
                "hypotheses": {sys_a: "She said " + hostile(k + 3), sys_b: hostile(k + 4) + " she said"},
                "src_lang": "fr", "tgt_lang": "en",
                "url": hostile(2), "note": hostile(k + 5), "link": "https://example.org/?q=" + hostile(0),
            })
    return Corpus.from_records(records, name=hostile(3, "corpus"))


class Hostile(Detector):
    """Test double whose name, message and suggestion are hostile."""
    code = "TST009"
    name = hostile(1, "test.")
    severity = Severity.MAJOR
    category = hostile(4, "Other/")
    needs = frozenset({"hypothesis"})

    def check_segment(self, seg):
        at = seg.hypothesis.find("<")
        if at >= 0:
            yield self.finding(seg, at, min(len(seg.hypothesis), at + 12), hostile(seg.seg_id),
                               suggestion=hostile(seg.seg_id + 2))
        yield self.finding(seg, 0, 0, hostile(0, "gap "), side="source")


def hostile_report():
    from mt_eval.report import build_report
    corpus = hostile_corpus()
    res = mt_eval.score(corpus, ["bleu", "chrf"], paired="bs", paired_n=50)
    checks = runner.run(corpus, [Hostile()])
    return build_report(corpus, res, checks, title=hostile(0, "Report "))
