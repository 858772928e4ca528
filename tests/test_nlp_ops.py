"""The spaCy pipelines run on numpy's BLAS instead of blis (mt_eval.nlp):
faster here, and it must not change a single parse."""
import pytest

from mt_eval import nlp

pytestmark = pytest.mark.skipif(nlp.missing() is not None, reason="the nlp extra (spaCy pipelines) is not installed")

TEXTS = {
    "en": ["The army called on the population for calm and serenity, adding that its operations were continuing.",
           "She assured that she had taken steps to ensure the safety of the residents.",
           "Colonel Assimi Goita announced on Tuesday that his troops had taken Kidal, 1,500 km from Bamako."],
    "fr": ["L'armée a appelé la population au calme et à la sérénité, ajoutant que ses opérations se poursuivaient.",
           "Elle a assuré qu'elle avait pris des mesures pour garantir la sécurité des habitants.",
           "Le vieil homme, âgé de 86 ans, a expliqué aux gendarmes qu'il avait eu peur."],
}


def _attributes(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_type_, t.ent_iob_)
            for t in doc]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pipeline_uses_numpy_blas_and_parses_as_with_blis(lang):
    import spacy
    from thinc.api import NumpyOps, get_current_ops, use_ops

    fast = nlp.load(lang)
    assert type(get_current_ops()) is NumpyOps and not get_current_ops().use_blis
    nlp.use_store(False)
    try:
        ours = nlp.parse(lang, TEXTS[lang])
    finally:
        nlp.use_store(None)
    with use_ops("numpy", use_blis=True):
        reference = spacy.load(nlp._find_model(lang))
        theirs = list(reference.pipe(TEXTS[lang]))
    assert [_attributes(d) for d in ours] == [_attributes(d) for d in theirs]


_PARSE_IN_A_FRESH_PROCESS = """
import importlib.util, json, sys
if sys.argv[1] == "torch-first":
    import torch  # thinc then sees torch, as without mt_eval's import
from mt_eval import nlp
nlp.use_store(False)
texts = json.loads(sys.argv[2])
attrs = {lang: [[[t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_type_, t.ent_iob_]
                 for t in doc] for doc in nlp.parse(lang, texts[lang])] for lang in texts}
import thinc.compat
torch_after = importlib.util.find_spec("torch") is not None and __import__("torch") is not None
print(json.dumps({"thinc_has_torch": thinc.compat.has_torch, "torch_after": torch_after, "attrs": attrs}))
"""


def test_spacy_loads_without_torch_and_parses_the_same():
    import importlib.util
    import json
    import subprocess
    import sys
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed: there is nothing to hide from thinc")

    def run(mode):
        out = subprocess.run([sys.executable, "-c", _PARSE_IN_A_FRESH_PROCESS, mode, json.dumps(TEXTS)],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    hidden, seen = run("hidden"), run("torch-first")
    assert hidden["thinc_has_torch"] is False and seen["thinc_has_torch"] is True
    assert hidden["torch_after"] is True          # torch still imports afterwards
    assert hidden["attrs"] == seen["attrs"]
