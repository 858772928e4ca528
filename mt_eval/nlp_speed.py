"""Quicker rule-based components for the spaCy pipelines, same annotations.

:func:`speed_up` is applied by :func:`mt_eval.nlp.load` after ``spacy.load``.
Profiling ``nlp.pipe`` on 3,000 WMT14 sentences put a third of the parse in
three pure-Python components, slow for reasons unrelated to their rules:

* the lemmatizers test words against ``lemma_index``, a *list* of up to
  66,000 words per part of speech, so every word not seen before costs a
  few linear scans (English lemmatizer 2.6 s, French 6.1 s);
* the attribute ruler runs spaCy's Matcher with 179 patterns on every token
  (English 2.8 s), calling some eighteen Python predicates per token,
  although all but eight of the patterns look at one token only.

What changes, and why the annotations cannot:

* the ``lemma_index`` lists answer ``in`` for a string from a set of their
  items: for strings, membership in a list (``==``) and in a set (hash,
  then ``==``) agree.  The lists' items, order and serialisation are
  untouched.
* the attribute ruler finds which one-token patterns match a token once per
  combination of the token attributes those patterns read (for English:
  tag, lowercase form, dependency label, is-space), by running spaCy's own
  Matcher on that token alone: a one-token pattern without a quantifier
  looks at its token only.  The other patterns still run through a Matcher
  over the whole document.  As in spaCy, all matching is done before any
  attribute is set.  spaCy then sets the attributes of the matches one at
  a time in pattern order, later patterns overriding earlier ones, with
  ``set_token_attrs``; here each token gets, through that same function and
  once, the attributes of its matches merged in that order.  Only token
  fields (lemma, POS, tag, morphology, dependency label) may be set, each
  its own field, so merging changes nothing.  Rulers with other patterns
  keep spaCy's code.

``tests/test_nlp_speed.py`` compares every annotation with the stock
pipelines on real text.
"""
from __future__ import annotations

# Imported by mt_eval.nlp.load only, once spaCy is known to be installed.
from spacy.attrs import IDS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lang.fr.lemmatizer import FrenchLemmatizer
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens._retokenize import set_token_attrs

# Token attributes a one-token pattern may read for its matches to be
# remembered per their values: plain values of the token, which
# ``Doc.to_array`` and spaCy's Matcher read from the same place.
_READABLE = {name: IDS["ORTH" if name == "TEXT" else name]
             for name in ("ORTH", "TEXT", "LOWER", "TAG", "POS", "DEP", "IS_SPACE")}
# Attributes the ruler may set: token fields, each its own field, so setting
# them one match at a time or merged gives the same token.
_SETTABLE = {IDS[name] for name in ("LEMMA", "POS", "TAG", "MORPH", "DEP")}
# Token kinds remembered by a ruler before it starts afresh (some 250 bytes
# each; 3,000 new English sentences bring about 18,500).
_REMEMBERED = 100_000


def speed_up(nlp) -> None:
    """Swap the quicker code into ``nlp``'s attribute rulers and rule
    lemmatizers of the kinds it was checked on; others are left as they are."""
    for _, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            proc.__class__ = QuickAttributeRuler
        elif type(proc) in (Lemmatizer, EnglishLemmatizer, FrenchLemmatizer) and proc.mode == "rule":
            _index_sets(proc)


class _SetList(list):
    """A list of strings whose ``in`` looks up a set of its items.  For the
    lemmatizers' read-only tables: the set does not follow changes to the list."""
    __slots__ = ("_items",)

    def __init__(self, items):
        super().__init__(items)
        self._items = frozenset(items)

    def __contains__(self, item):
        if type(item) is str:
            return item in self._items
        return list.__contains__(self, item)


def _index_sets(lemmatizer) -> None:
    if "lemma_index" in lemmatizer.lookups:
        table = lemmatizer.lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            if type(words) is list and all(type(w) is str for w in words):
                table[key] = _SetList(words)


class _Plan:
    """A ruler's patterns split into one-token patterns, whose matches are
    remembered per values of the attributes they read, and the others,
    matched over each document."""

    def __init__(self, ruler: AttributeRuler):
        self.matcher, self.rule_count = ruler.matcher, len(ruler.attrs)
        self.usable = False
        single, multi, read = [], [], set()
        for i, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices)):
            if not set(attrs) <= _SETTABLE:
                return
            alternatives = ruler.matcher.get(str(i))[1]
            if index in (0, -1) and all(len(p) == 1 and all(str(k).upper() in _READABLE for k in p[0])
                                        for p in alternatives):
                single.append((i, alternatives))
                read.update(_READABLE[str(k).upper()] for p in alternatives for k in p[0])
            else:
                multi.append((i, alternatives))
        self.single = Matcher(ruler.vocab) if single else None
        self.multi = Matcher(ruler.vocab) if multi else None
        for matcher, rules in ((self.single, single), (self.multi, multi)):
            for i, alternatives in rules:
                matcher.add(str(i), alternatives)
        self.rule_of = {ruler.vocab.strings[str(i)]: i for i, _ in single + multi}
        self.read = sorted(read) or [IDS["ORTH"]]
        self.matches: dict = {}     # values read -> one-token rules matching, in order
        self.merged: dict = {}      # rules, in order -> their attributes merged
        self.usable = True


class QuickAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler, its one-token patterns matched once per kind
    of token (see the module's docstring)."""

    def __call__(self, doc):
        plan = self.__dict__.get("_quick_plan")
        if plan is None or plan.matcher is not self.matcher or plan.rule_count != len(self.attrs):
            plan = self.__dict__["_quick_plan"] = _Plan(self)
        if not plan.usable or not len(doc):
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            rules = self._rules(doc, plan)
            if rules is None:   # a match reaching past its pattern: spaCy's error
                return super().__call__(doc)
            merged = plan.merged
            for i, token_rules in enumerate(rules):
                if token_rules:
                    attrs = merged.get(token_rules)
                    if attrs is None:
                        if len(merged) >= _REMEMBERED:
                            merged.clear()
                        attrs = merged[token_rules] = {}
                        for rule in token_rules:
                            attrs.update(self.attrs[rule])
                    set_token_attrs(doc[i], attrs)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def _rules(self, doc, plan: _Plan):
        """Per token, the rules whose matches set its attributes, in the
        order spaCy applies them; ``None`` if a match's index falls outside it."""
        rules = []
        matches, rule_of = plan.matches, plan.rule_of
        for i, values in enumerate(doc.to_array(plan.read).tolist()):
            key = tuple(values)
            found = matches.get(key)
            if found is None:
                if len(matches) >= _REMEMBERED:
                    matches.clear()
                found = ()
                if plan.single is not None:
                    found = tuple(sorted({rule_of[m] for m, _, _ in plan.single(doc[i:i + 1], allow_missing=True)}))
                matches[key] = found
            rules.append(found)
        if plan.multi is not None:
            extra: dict = {}
            for m, start, end in plan.multi(doc, allow_missing=True):
                rule = rule_of[m]
                index = self.indices[rule]
                target = (start if index >= 0 else end) + index
                if not start <= target < end:
                    return None
                extra.setdefault(target, set()).add(rule)
            for target, more in extra.items():
                rules[target] = tuple(sorted(more.union(rules[target])))
        return rules
