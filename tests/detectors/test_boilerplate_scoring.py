"""The boilerplate score's data file and the glued-prompt rule (BP001/BP002)."""
from mt_eval.detectors import _boilerplate_features as bf
from mt_eval.detectors._data import data_rows
from mt_eval.detectors.boilerplate import glued_prompt, score_line


def test_every_feature_has_one_weight_and_every_weight_a_feature():
    rows = data_rows("boilerplate_weights.tsv", 4)
    names = [r[0] for r in rows if r[0] != "threshold"]
    assert sorted(names) == sorted(bf.FEATURES), set(names) ^ set(bf.FEATURES)
    assert len(names) == len(set(names))
    assert {r[2] for r in rows} <= {"fit", "hand"}
    thresholds = [float(r[1]) for r in rows if r[0] == "threshold"]
    assert thresholds == [bf.weights()[1]]


def test_score_is_bias_plus_feature_weights():
    w, _ = bf.weights()
    line = "Exit mobile version"
    feats = bf.line_features(line, "en")
    assert abs(score_line(line, "en").score - (w["bias"] + sum(w[k] * v for k, v in feats.items()))) < 1e-9


def test_glued_prompt_needs_a_sentence_before_it():
    assert glued_prompt("Subscribe to our newsletter to receive the best of sports news.", "en") is None


def test_glued_prompt_span_is_the_last_sentence():
    line = "Tickets go on sale at 10 a.m. on Monday. Subscribe to our newsletter to get the latest news."
    at, s = glued_prompt(line, "en")
    assert line[at + s.start:at + s.end] == "Subscribe to our newsletter to get the latest news."
    assert s.kind == "subscribe"


def test_abbreviation_is_no_sentence_boundary():
    # "a.m. on" starts no sentence: the last sentence is the whole line,
    # so there is nothing glued to report.
    assert glued_prompt("Sales open at 10 a.m. on Monday: sign up for our newsletter now.", "en") is None


def test_an_instruction_about_the_world_is_no_prompt():
    assert glued_prompt("Doors open at 9 a.m. Follow the signs to the hall.", "en") is None


def test_reported_or_quoted_appeals_are_story():
    for line in ("The club changed its ticketing. Fans can subscribe to the club's newsletter, a spokesman said.",
                 "She spoke on Friday. She urged readers to sign up for the newsletter.",
                 "Le club a changé sa billetterie. Les supporters peuvent s'abonner à la lettre du club."):
        assert glued_prompt(line, "fr" if line.startswith("Le") else "en") is None, line


def test_a_missing_language_read_from_a_table_is_unknown():
    # pandas gives NaN, not None, for an empty language cell
    nan = float("nan")
    assert bf.base_lang(nan) is None and bf.cue_langs(nan) is None
    assert score_line("Exit mobile version", nan).score == score_line("Exit mobile version", None).score
