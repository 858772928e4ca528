"""Feed readers: formats, HTML bodies, hostile and broken input, pairing."""
from __future__ import annotations

import json

import pytest

from mt_eval.errors import InputError, UsageError
from mt_eval.readers import htmltext, xmlsafe
from mt_eval.readers.feedpair import build_feed_sets
from mt_eval.readers.feeds import read_feed

from ci_helpers import atom, rss, write


# -- formats ------------------------------------------------------------------------
def test_rss_item_identity_parts_and_lines(tmp_path):
    path = write(tmp_path / "fr.rss", rss([
        {"guid": "a1", "link": "https://x.example/a1", "title": "Titre &amp; suite", "description": "Résumé.",
         "content": "<p>Premier paragraphe.</p>\n<p>Deuxième <b>paragraphe</b>.</p>"},
    ]))
    feed = read_feed(path)
    assert feed.format == "rss" and feed.lang == "fr" and feed.title == "Test feed"
    (item,) = feed.items
    assert (item.id, item.link) == ("a1", "https://x.example/a1")
    assert [(p.role, p.text) for p in item.parts] == [
        ("title", "Titre & suite"), ("summary", "Résumé."),
        ("body", "Premier paragraphe."), ("body", "Deuxième paragraphe.")]
    lines = path and open(path, encoding="utf-8").read().split("\n")
    body_lines = [p.line for p in item.parts if p.role == "body"]
    assert "Premier" in lines[body_lines[0] - 1] and "Deuxième" in lines[body_lines[1] - 1]


def test_rss_description_is_the_body_without_content_encoded(tmp_path):
    path = write(tmp_path / "f.rss", rss([{"guid": "g", "title": "T", "description": "<p>One.</p><p>Two.</p>"}]))
    (item,) = read_feed(path).items
    assert [(p.role, p.text) for p in item.parts] == [("title", "T"), ("body", "One."), ("body", "Two.")]


def test_atom_entries_html_xhtml_and_alternates(tmp_path):
    path = write(tmp_path / "en.atom", atom([
        {"id": "e1", "title": "Hello", "link": "https://x.example/en/1", "alternates": ["https://x.example/fr/1"],
         "summary": "Short.", "content": "<p>Body one.</p><p>Body &amp; two.</p>"},
        {"id": "e2", "title": "X", "xhtml": "<p>Rich <em>text</em>.</p><p>Second.</p>"},
    ]))
    feed = read_feed(path)
    assert feed.format == "atom" and feed.lang == "en"
    e1, e2 = feed.items
    assert e1.link == "https://x.example/en/1" and e1.alternates == ("https://x.example/fr/1",)
    assert [p.text for p in e1.parts] == ["Hello", "Short.", "Body one.", "Body & two."]
    assert [p.text for p in e2.parts if p.role == "body"] == ["Rich text.", "Second."]


def test_json_feed(tmp_path):
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "en",
           "items": [{"id": "1", "url": "https://x.example/1", "title": "T1",
                      "content_html": "<p>A.</p><script>evil()</script><p>B.</p>", "_mt": {"source": "s1"}},
                     {"id": 2, "content_text": "Plain one.\n\nPlain two."}]}
    path = write(tmp_path / "f.json", json.dumps(doc, indent=1))
    feed = read_feed(path)
    assert feed.format == "json" and feed.lang == "en"
    a, b = feed.items
    assert [p.text for p in a.parts] == ["T1", "A.", "B."]
    assert a.fields["_mt.source"] == "s1" and b.id == "2"
    assert [p.text for p in b.parts] == ["Plain one.", "Plain two."]
    assert a.line == 6  # the line of its opening brace


def test_json_feed_errors_have_line_and_column(tmp_path):
    path = write(tmp_path / "bad.json", '{"version": "https://jsonfeed.org/version/1.1",\n "items": [\n  {"id": "1",,}]}')
    with pytest.raises(InputError) as e:
        read_feed(path)
    assert (e.value.line, e.value.column) == (3, 14)  # the second comma
    path = write(tmp_path / "nover.json", '{"items": []}')
    with pytest.raises(InputError, match="not a JSON Feed"):
        read_feed(path)


def test_html_extraction_keeps_what_a_reader_sees():
    paras = htmltext.paragraphs(
        '<div><h2>Head</h2><p>Para <a href="x">link</a> one<br>line two</p>'
        '<p hidden>hidden</p><p style="display:none">gone</p><style>p{}</style>'
        '<ul><li>i1</li><li>i2</li></ul><p>&lt;script&gt;literal&lt;/script&gt;</p></div>')
    assert [p.text for p in paras] == ["Head", "Para link one\nline two", "i1", "i2", "<script>literal</script>"]
    assert htmltext.paragraphs("no markup\n\nsecond") == [htmltext.Paragraph("no markup", 1),
                                                        htmltext.Paragraph("second", 3)]


# -- hostile input ------------------------------------------------------------------
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol9;</title></item></channel></rss>
"""


@pytest.mark.parametrize("text", [
    BILLION_LAUGHS,
    '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<rss><channel><item><title>&xxe;</title></item></channel></rss>",
    '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><rss><channel/></rss>',
    # a comment in front must not hide the declaration from the prolog scan
    "<!-- <rss> -->\n<!DOCTYPE rss [<!ENTITY a 'b'>]><rss><channel><item><title>&a;</title></item></channel></rss>",
], ids=["billion-laughs", "external-entity", "parameter-entity", "comment-before-doctype"])
def test_entity_declarations_are_refused(tmp_path, text):
    path = write(tmp_path / "evil.rss", text)
    with pytest.raises(InputError, match="entity declarations are not accepted") as e:
        read_feed(path)
    assert e.value.path == path and e.value.line is not None


def test_entity_declarations_beyond_the_prefix_are_caught_by_the_parser_check(tmp_path, monkeypatch):
    monkeypatch.setattr(xmlsafe, "PREFIX_BYTES", 64)
    text = "<?xml version='1.0'?>\n<!-- " + "x" * 200 + " -->\n<!DOCTYPE rss [<!ENTITY a 'b'>]>\n<rss><channel/></rss>"
    with pytest.raises(InputError, match="entity declarations|DOCTYPE runs past"):
        read_feed(write(tmp_path / "late.rss", text))


def test_external_dtd_is_not_loaded_and_unknown_entities_are_errors(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = (f'<!DOCTYPE rss SYSTEM "{secret.as_uri()}">\n'
            "<rss><channel><item><title>a &nbsp; b &xxe;</title></item></channel></rss>")
    with pytest.raises(InputError, match="undefined entity &xxe;") as e:
        read_feed(write(tmp_path / "ext.rss", text))
    assert "SECRET" not in str(e.value)


def test_rss091_html_entities_are_resolved(tmp_path):
    text = ('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
            "<rss version='0.91'><channel><language>en</language>"
            "<item><title>caf&eacute;&nbsp;ok</title></item></channel></rss>")
    (item,) = read_feed(write(tmp_path / "old.rss", text)).items
    assert item.title == "café\u00a0ok"


# -- broken input ------------------------------------------------------------------
def test_truncated_xml_reports_file_line_column(tmp_path):
    full = rss([{"guid": "1", "title": "A", "content": "<p>x</p>"}, {"guid": "2", "title": "B"}])
    path = write(tmp_path / "cut.rss", full[: full.index("<guid>2") + 4])
    with pytest.raises(InputError, match="malformed XML") as e:
        read_feed(path)
    assert e.value.path == path and e.value.line and e.value.column
    assert str(e.value).startswith(f"{path}:{e.value.line}:{e.value.column}: ")


def test_truncated_json_feed(tmp_path):
    text = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, {"id": "2"}]})
    with pytest.raises(InputError, match="invalid JSON") as e:
        read_feed(write(tmp_path / "cut.json", text[:-8]))
    assert e.value.line == 1 and e.value.column


@pytest.mark.parametrize("text", ["", "   \n", "<rss><channel>"])
def test_empty_or_unfinished(tmp_path, text):
    with pytest.raises(InputError):
        read_feed(write(tmp_path / "e.rss", text))


def test_declared_latin1_but_utf8_is_an_error(tmp_path):
    text = rss([{"guid": "1", "title": "Élection à Lérac"}], decl='<?xml version="1.0" encoding="ISO-8859-1"?>')
    with pytest.raises(InputError, match="declared encoding ISO-8859-1 but the bytes are UTF-8") as e:
        read_feed(write(tmp_path / "mislabel.rss", text))
    assert e.value.line == 9  # the title holding the first accented letter


def test_declared_utf8_but_latin1_is_an_error_with_line(tmp_path):
    text = rss([{"guid": "1", "title": "Élection"}])
    with pytest.raises(InputError, match="malformed XML") as e:
        read_feed(write(tmp_path / "latin.rss", text, encoding="latin-1"))
    assert e.value.line == 9


def test_correct_declarations_are_honoured(tmp_path):
    text = rss([{"guid": "1", "title": "Élection à Lérac"}], decl='<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert read_feed(write(tmp_path / "l1.rss", text, encoding="latin-1")).items[0].title == "Élection à Lérac"
    text16 = rss([{"guid": "1", "title": "Élection"}], decl='<?xml version="1.0" encoding="UTF-16"?>')
    assert read_feed(write(tmp_path / "u16.rss", text16, encoding="utf-16")).items[0].title == "Élection"


@pytest.mark.parametrize("decl,match", [
    ('<?xml version="1.0" encoding="UTF-16"?>', "no byte-order mark"),
    ('<?xml version="1.0" encoding="klingon-8"?>', "malformed XML"),
])
def test_impossible_declarations(tmp_path, decl, match):
    with pytest.raises(InputError, match=match):
        read_feed(write(tmp_path / "d.rss", rss([{"guid": "1", "title": "x"}], decl=decl)))


# -- pairing ------------------------------------------------------------------------
def _pair(tmp_path, src_items, tgt_entries, **kw):
    s = write(tmp_path / "src.rss", rss(src_items))
    t = write(tmp_path / "tgt.atom", atom(tgt_entries))
    return build_feed_sets([s, t], **kw)


def test_pair_by_id_and_report_unpaired_on_both_sides(tmp_path):
    (fs,) = _pair(tmp_path, [{"guid": "a", "title": "A fr", "content": "<p>x</p>"},
                             {"guid": "b", "title": "B fr"}],
                  [{"id": "a", "title": "A en", "content": "<p>y</p>"}, {"id": "z", "title": "Z en"}],
                  langpair="fr-en")
    assert [(i.doc_id, i.source is not None) for i in fs.items] == [("a", True), ("z", False)]
    assert [n.kind for n in fs.items[1].notes] == ["no-source", "no-body"]
    assert [u.doc_id for u in fs.unpaired_sources] == ["b"]
    f = fs.corpus.frame
    assert f[f.doc_id == "a"]["source"].tolist() == ["A fr", "x"]
    assert f[f.doc_id == "z"]["source"].tolist() == [""]


def test_pair_by_link_alternates_and_direction_inferred(tmp_path):
    (fs,) = _pair(tmp_path, [{"guid": "g1", "link": "https://x.example/fr/1", "title": "Un"}],
                  [{"id": "tag:en-1", "title": "One", "alternates": ["https://x.example/fr/1"]}])
    assert fs.src_lang == "fr" and fs.tgt_lang == "en"
    assert fs.items[0].doc_id == "g1" and fs.items[0].source.title == "Un"


def test_pair_by_explicit_field(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "s1", "title": "Un"}, {"guid": "s2", "title": "Deux"}]))
    t = write(tmp_path / "t.rss", rss([{"guid": "t9", "title": "Two", "fields": {"sourceGuid": "s2"}}], lang="en"))
    (fs,) = build_feed_sets([s, t], langpair="fr-en", pair_by="field:sourceGuid")
    assert fs.items[0].source.title == "Deux"
    assert [u.doc_id for u in fs.unpaired_sources] == ["s1"]
    with pytest.raises(UsageError, match="pair-by"):
        build_feed_sets([s, t], langpair="fr-en", pair_by="guess")


def test_duplicate_ids_are_kept_and_reported(tmp_path):
    (fs,) = _pair(tmp_path, [{"guid": "a", "title": "A1"}, {"guid": "a", "title": "A2"}],
                  [{"id": "a", "title": "first"}, {"id": "a", "title": "second"}], langpair="fr-en")
    assert [i.doc_id for i in fs.items] == ["a", "a#2"]
    assert [i.source.title for i in fs.items] == ["A1", "A2"]
    assert any(n.kind == "duplicate-id" for n in fs.items[1].notes)
    assert not fs.unpaired_sources


def test_items_without_body_or_text_are_kept(tmp_path):
    (fs,) = _pair(tmp_path, [{"guid": "a", "title": "A"}], [{"id": "a", "title": "A en"}, {"id": "b"}],
                  langpair="fr-en")
    kinds = {i.doc_id: [n.kind for n in i.notes] for i in fs.items}
    assert kinds == {"a": ["no-body"], "b": ["no-source", "empty"]}
    assert set(fs.corpus.frame["doc_id"]) == {"a", "b"}


def test_a_missing_paragraph_does_not_shift_the_others(tmp_path):
    src = "".join(f"<p>{t}</p>" for t in ["Premier paragraphe assez long pour compter.", "Deuxième, court.",
                                          "Troisième paragraphe, lui aussi d'une certaine longueur."])
    tgt = "".join(f"<p>{t}</p>" for t in ["First paragraph long enough to count.",
                                          "Third paragraph, also of a certain length."])
    (fs,) = _pair(tmp_path, [{"guid": "a", "content": src}], [{"id": "a", "content": tgt}], langpair="fr-en")
    rows = fs.corpus.frame[["source", "hyp:mt"]].values.tolist()
    assert rows == [["Premier paragraphe assez long pour compter.", "First paragraph long enough to count."],
                    ["Deuxième, court.", ""],
                    ["Troisième paragraphe, lui aussi d'une certaine longueur.",
                     "Third paragraph, also of a certain length."]]
    assert any(n.kind == "paragraphs" for n in fs.items[0].notes)


def test_languages_that_do_not_fit(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "1", "title": "x"}], lang="de"))
    t = write(tmp_path / "t.atom", atom([{"id": "1", "title": "y"}]))
    with pytest.raises(InputError, match="neither fr nor en"):
        build_feed_sets([s, t], langpair="fr-en")
    with pytest.raises(UsageError, match="--langpair"):
        build_feed_sets([s, t])
