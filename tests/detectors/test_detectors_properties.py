"""Random text never crashes a detector: every (detector, segment) unit runs
without raising, whatever the input."""
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mt_eval.corpus import Corpus
from mt_eval.detectors import all_detectors
from mt_eval.detectors.runner import check_corpus

CODES = [d.code for d in all_detectors() if d.available() is None]

# Letters of several scripts, digits, punctuation our regexes care about,
# separators, controls and surrogate-free odd code points.
ALPHABET = st.characters(blacklist_categories=("Cs",))
TRICKY = st.sampled_from(list(". ., .. ? ! « » “ ” \" ( ) [ ] 1 234,5 12 h 30 Ã© â€™ \ufffd \u200b \x00 \x1b "
                              "\t \n \r the le la de der die 今日 مرحبا Ελλάδα ") + ["Exit mobile version", "Read also:",
                                                                                   "<br>", "&amp;", "XXe", "2,5 millions"])
TEXT = st.one_of(st.text(ALPHABET, max_size=200), st.lists(TRICKY, max_size=30).map(" ".join),
                 st.lists(TRICKY, max_size=30).map("".join))


def _run(rows, lang_pairs):
    frame = pd.DataFrame([{"doc_id": f"d{i % 2}", "seg_id": i + 1, "source": s, "hyp:x": h,
                           "src_lang": lp[0], "tgt_lang": lp[1]} for i, ((s, h), lp) in enumerate(zip(rows, lang_pairs))])
    frame = frame.sort_values("doc_id", kind="stable").reset_index(drop=True)
    result = check_corpus(Corpus(frame), select=CODES)
    assert result.errors.empty, result.errors.to_string()
    for f in result.finding_objects:
        assert 0 <= f.start <= f.end


LANGS = st.sampled_from([("fr", "en"), ("en", "fr"), ("de", "es"), (None, None), ("xx", "yy")])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6), st.lists(LANGS, min_size=6, max_size=6))
def test_random_text_never_crashes(rows, langs):
    _run(rows, langs)


def test_huge_lines_and_controls():
    big = ("Kidal " * 17000)[:100_000]
    rows = [(big, big), ("", "\x00\x01\x02" * 1000), ("a. b. c. " * 10000, "( [ « “ " * 5000),
            ("1 234,5 " * 5000, "1,234.5 " * 5000), ("é" * 100_000, "Ã©" * 50_000)]
    _run(rows, [("fr", "en")] * len(rows))
