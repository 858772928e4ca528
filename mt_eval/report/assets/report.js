/* mt_eval report: the document view.
 *
 * Everything shown comes from the JSON island #report-data and reaches the
 * page through textContent and createElement only; no string is ever parsed
 * as HTML, so text from the corpus cannot become markup.  Only one page of
 * segments is in the DOM at a time, which keeps large corpora responsive.
 */
(function () {
  'use strict';
  var SEV_RANK = { info: 0, minor: 1, major: 2, critical: 3 };
  var SEV_ORDER = ['critical', 'major', 'minor', 'info'];
  var root = document.getElementById('doc-view');
  var dataEl = document.getElementById('report-data');
  if (!root || !dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var systems = data.corpus.systems;
  var items = data.findings ? data.findings.items : [];
  var weights = data.meta.severity_weights;
  var rankMetric = data.meta.rank_metric;
  var metrics = data.scores ? data.scores.metrics : [];
  var rankHigher = true;
  metrics.forEach(function (m) { if (m.name === rankMetric) { rankHigher = m.higher_is_better; } });

  // Flat list of segments in corpus order.
  var segs = [];
  data.documents.forEach(function (doc, di) {
    doc.segments.forEach(function (s) { segs.push({ doc: doc, di: di, s: s }); });
  });

  var el = {
    doc: document.getElementById('f-doc'), det: document.getElementById('f-det'),
    sev: document.getElementById('f-sev'), sort: document.getElementById('f-sort'),
    only: document.getElementById('f-only'), size: document.getElementById('f-size'),
    list: document.getElementById('seg-list'), status: document.getElementById('seg-status'),
    prev: document.getElementById('pg-prev'), next: document.getElementById('pg-next'),
    page: document.getElementById('pg-page'), tip: document.getElementById('tip'),
    sysBoxes: Array.prototype.slice.call(root.querySelectorAll('input[name="sys"]'))
  };
  var state = { page: 0, view: [] };

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmt(v) { return v === null || v === undefined ? '–' : v.toFixed(1); }

  function visibleSystems() {
    var on = el.sysBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    return on.length ? on : systems.slice();
  }

  function activeFindings(seg, sysSet, det, minSev) {
    var out = [];
    seg.findings.forEach(function (id) {
      var f = items[id];
      if (f.system !== null && !sysSet[f.system]) { return; }
      if (det && f.code !== det) { return; }
      if (SEV_RANK[f.severity] < minSev) { return; }
      out.push(f);
    });
    return out;
  }

  function rankScore(seg, vis) {
    // Lowest (worst) normalised score among the visible systems; null if none.
    var worst = null;
    vis.forEach(function (sys) {
      var sc = seg.scores[sys];
      if (!sc || sc[rankMetric] === null || sc[rankMetric] === undefined) { return; }
      var v = rankHigher ? sc[rankMetric] : -sc[rankMetric];
      if (worst === null || v < worst) { worst = v; }
    });
    return worst;
  }

  function compute() {
    var vis = visibleSystems();
    var sysSet = {};
    vis.forEach(function (s) { sysSet[s] = true; });
    var det = el.det ? el.det.value : '';
    var minSev = el.sev ? SEV_RANK[el.sev.value] : 0;
    var only = el.only && el.only.checked;
    var docId = el.doc.value;
    var filtering = det || minSev > 0 || only;
    var view = [];
    segs.forEach(function (e, i) {
      if (docId && e.doc.doc_id !== docId) { return; }
      var act = activeFindings(e.s, sysSet, det, minSev);
      if (filtering && !act.length) { return; }
      var pen = {};
      act.forEach(function (f) { pen[f.system] = (pen[f.system] || 0) + (weights[f.severity] || 0); });
      var maxPen = 0;
      Object.keys(pen).forEach(function (k) { if (pen[k] > maxPen) { maxPen = pen[k]; } });
      view.push({ e: e, i: i, act: act, pen: maxPen, score: rankScore(e.s, vis) });
    });
    if (el.sort.value === 'worst') {
      view.sort(function (a, b) {
        if (b.pen !== a.pen) { return b.pen - a.pen; }
        var as = a.score === null ? Infinity : a.score, bs = b.score === null ? Infinity : b.score;
        if (as !== bs) { return as - bs; }
        return a.i - b.i;
      });
    }
    state.view = view;
    state.vis = vis;
  }

  function pageSize() { return parseInt(el.size.value, 10) || 25; }
  function pageCount() { return Math.max(1, Math.ceil(state.view.length / pageSize())); }

  // -- text with highlighted findings ---------------------------------------
  function codePoints(text) { return /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null; }

  function renderText(text, fs) {
    var box = h('div', 'txt');
    var cps = codePoints(text);
    var len = cps ? cps.length : text.length;
    var slice = cps ? function (a, b) { return cps.slice(a, b).join(''); } : function (a, b) { return text.slice(a, b); };
    var spans = [], gaps = {};
    fs.forEach(function (f) {
      var a = Math.max(0, Math.min(f.start, len)), b = Math.max(a, Math.min(f.end, len));
      if (a === b) { (gaps[a] = gaps[a] || []).push(f); } else { spans.push({ a: a, b: b, f: f }); }
    });
    var cuts = { 0: true };
    cuts[len] = true;
    spans.forEach(function (s) { cuts[s.a] = true; cuts[s.b] = true; });
    Object.keys(gaps).forEach(function (k) { cuts[k] = true; });
    var pts = Object.keys(cuts).map(Number).sort(function (x, y) { return x - y; });
    for (var k = 0; k < pts.length; k++) {
      var a = pts[k];
      if (gaps[a]) { box.appendChild(markFor(gaps[a], '', true)); }
      if (k + 1 >= pts.length) { break; }
      var b = pts[k + 1];
      var cover = spans.filter(function (s) { return s.a <= a && s.b >= b; }).map(function (s) { return s.f; });
      var piece = slice(a, b);
      box.appendChild(cover.length ? markFor(cover, piece, false) : document.createTextNode(piece));
    }
    return box;
  }

  function worstSeverity(fs) {
    var w = 'info';
    fs.forEach(function (f) { if (SEV_RANK[f.severity] > SEV_RANK[w]) { w = f.severity; } });
    return w;
  }

  function markFor(fs, text, gap) {
    var m = h('mark', 'f sev-' + worstSeverity(fs) + (gap ? ' gap' : ''), text);
    m.tabIndex = 0;
    m.dataset.f = fs.map(function (f) { return f.id; }).join(',');
    if (gap) { m.setAttribute('aria-label', 'missing text: ' + fs.map(function (f) { return f.code; }).join(', ')); }
    return m;
  }

  function findingList(fs) {
    // One line per (severity, code, message); repeats are counted, not listed.
    var ul = h('ul', 'fl'), seen = {};
    fs.forEach(function (f) {
      var key = [f.severity, f.code, f.message].join('\u0000');
      if (seen[key]) { seen[key].n++; seen[key].count.textContent = ' \u00d7' + seen[key].n; return; }
      var li = h('li');
      li.appendChild(h('span', 'badge ' + f.severity, f.severity));
      li.appendChild(document.createTextNode(' ' + f.code + ' '));
      li.appendChild(h('span', null, f.message));
      var count = h('span', 'n');
      li.appendChild(count);
      seen[key] = { n: 1, count: count };
      ul.appendChild(li);
    });
    return ul;
  }

  function dedupeSource(fs) {
    var seen = {}, out = [];
    fs.forEach(function (f) {
      var key = [f.code, f.start, f.end, f.message].join('\u0000');
      if (!seen[key]) { seen[key] = f; out.push(f); }
    });
    return out;
  }

  function metaLine(obj) {
    var parts = [];
    Object.keys(obj || {}).forEach(function (k) {
      var v = obj[k];
      if (v === null || v === undefined || v === '') { return; }
      parts.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    });
    return parts;
  }

  function safeUrl(v) {
    // Only absolute http(s) URLs become links; anything else stays text.
    if (!/^https?:\/\//i.test(v)) { return null; }
    try {
      var u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') ? u.href : null;
    } catch (e) { return null; }
  }

  function metaNodes(obj) {
    var span = h('span', 'meta');
    metaLine(obj).forEach(function (kv, i) {
      if (i) { span.appendChild(document.createTextNode(' · ')); }
      span.appendChild(document.createTextNode(kv[0] + ': '));
      var url = safeUrl(kv[1]);
      if (url) {
        var a = h('a', null, kv[1]);
        a.href = url;
        a.rel = 'noopener noreferrer nofollow';
        a.target = '_blank';
        span.appendChild(a);
      } else {
        span.appendChild(document.createTextNode(kv[1]));
      }
    });
    return span;
  }

  function docHeader(doc) {
    var d = h('div', 'doc-head');
    d.appendChild(h('h3', null, 'Document ' + doc.doc_id));
    var info = h('div', 'meta');
    info.appendChild(document.createTextNode(doc.segments.length + ' segments · ' + doc.n_findings + ' findings'));
    var meta = metaNodes(doc.metadata);
    if (meta.childNodes.length) { info.appendChild(document.createTextNode(' · ')); info.appendChild(meta); }
    d.appendChild(info);
    return d;
  }

  function renderSegment(v, pos) {
    var e = v.e, s = e.s;
    var art = h('article', 'seg');
    art.tabIndex = -1;
    art.id = 'seg-' + v.i;
    art.setAttribute('aria-label', 'Document ' + e.doc.doc_id + ', segment ' + s.seg_id +
      (v.act.length ? ', ' + v.act.length + ' findings' : ''));
    art.dataset.pos = pos;
    var head = h('div', 'seg-head');
    head.appendChild(h('strong', null, e.doc.doc_id + ' #' + s.seg_id));
    if (s.line !== null) { head.appendChild(h('span', null, 'line ' + s.line)); }
    if (v.act.length) { head.appendChild(h('span', null, v.act.length + (v.act.length === 1 ? ' finding' : ' findings'))); }
    if (v.score !== null && rankMetric) {
      head.appendChild(h('span', null, 'lowest ' + rankMetric + ' ' + fmt(rankHigher ? v.score : -v.score)));
    }
    var meta = metaNodes(s.metadata);
    if (meta.childNodes.length) { head.appendChild(meta); }
    if (el.doc.value !== e.doc.doc_id) {
      var open = h('button', null, 'Open document');
      open.type = 'button';
      open.dataset.doc = e.doc.doc_id;
      open.dataset.row = v.i;
      head.appendChild(open);
    }
    art.appendChild(head);
    var cols = h('div', 'cols');
    var n = 0;
    var srcF = dedupeSource(v.act.filter(function (f) { return f.side === 'source'; }));
    if (data.corpus.has_source) {
      var c = h('div', 'cell src');
      c.appendChild(h('h4', null, 'Source' + (data.corpus.src_lang ? ' (' + data.corpus.src_lang + ')' : '')));
      c.appendChild(renderText(s.source, srcF));
      if (srcF.length) { c.appendChild(findingList(srcF)); }
      cols.appendChild(c); n++;
    }
    if (data.corpus.n_references) {
      // Every segment gets the same columns, so segments stay aligned.
      var r = h('div', 'cell ref');
      if (!s.references.length) {
        r.appendChild(h('h4', null, 'Reference'));
        r.appendChild(h('div', 'txt none', 'no reference'));
      }
      s.references.forEach(function (ref, k) {
        r.appendChild(h('h4', null, s.references.length > 1 ? 'Reference ' + (k + 1) : 'Reference'));
        r.appendChild(renderText(ref, []));
      });
      cols.appendChild(r); n++;
    }
    state.vis.forEach(function (sys) {
      if (!(sys in s.hypotheses)) { return; }
      var c = h('div', 'cell hyp');
      c.dataset.system = sys;
      c.appendChild(h('h4', null, sys));
      var fs = v.act.filter(function (f) { return f.system === sys && f.side === 'hypothesis'; });
      c.appendChild(renderText(s.hypotheses[sys], fs));
      var sc = s.scores[sys];
      if (sc) {
        var line = metrics.map(function (m) { return m.name + ' ' + fmt(sc[m.name]); }).join(' · ');
        c.appendChild(h('div', 'sc', line));
      }
      if (fs.length) { c.appendChild(findingList(fs)); }
      cols.appendChild(c); n++;
    });
    cols.style.setProperty('--cols', String(Math.max(1, n)));
    art.appendChild(cols);
    return art;
  }

  function render(focusFirst) {
    hideTip();
    var size = pageSize();
    state.page = Math.max(0, Math.min(state.page, pageCount() - 1));
    var start = state.page * size, end = Math.min(state.view.length, start + size);
    var frag = document.createDocumentFragment();
    var lastDoc = null;
    var docOrder = el.sort.value !== 'worst';
    for (var k = start; k < end; k++) {
      var v = state.view[k];
      if (docOrder && v.e.doc !== lastDoc) { frag.appendChild(docHeader(v.e.doc)); lastDoc = v.e.doc; }
      frag.appendChild(renderSegment(v, k - start));
    }
    if (start >= end) { frag.appendChild(h('p', 'empty', 'No segment matches these filters.')); }
    el.list.replaceChildren(frag);
    el.status.textContent = state.view.length
      ? 'Showing ' + (start + 1) + '–' + end + ' of ' + state.view.length + ' segments'
      : 'No segments';
    el.page.textContent = 'Page ' + (state.page + 1) + ' of ' + pageCount();
    el.prev.disabled = state.page === 0;
    el.next.disabled = state.page >= pageCount() - 1;
    if (focusFirst) { focusSeg(0); }
  }

  function update() { compute(); state.page = 0; render(false); }

  function focusSeg(pos) {
    var arts = el.list.querySelectorAll('article.seg');
    if (!arts.length) { return; }
    pos = Math.max(0, Math.min(pos, arts.length - 1));
    arts[pos].focus();
    arts[pos].scrollIntoView({ block: 'nearest' });
  }

  function currentPos() {
    var a = document.activeElement && document.activeElement.closest ? document.activeElement.closest('article.seg') : null;
    return a ? parseInt(a.dataset.pos, 10) : -1;
  }

  function gotoPage(p, focusWhere) {
    var old = state.page;
    state.page = Math.max(0, Math.min(p, pageCount() - 1));
    if (state.page === old && focusWhere === undefined) { return; }
    render(false);
    if (focusWhere === 'last') { focusSeg(pageSize() - 1); } else { focusSeg(0); }
  }

  // -- tooltip -------------------------------------------------------------
  var tipFor = null;
  function showTip(mark) {
    var ids = mark.dataset.f.split(',').map(Number);
    var tip = el.tip;
    tip.replaceChildren();
    ids.forEach(function (id) {
      var f = items[id];
      var box = h('div', 'tf');
      var head = h('div', 'th');
      head.appendChild(h('span', 'badge ' + f.severity, f.severity));
      head.appendChild(document.createTextNode(' ' + f.code + ' ' + f.name));
      box.appendChild(head);
      box.appendChild(h('div', 'msg', f.message));
      // An empty suggestion means "delete this text" (LanguageTool's convention).
      if (f.suggestion === '') { box.appendChild(h('div', 'sg', 'Suggestion: delete it')); }
      else if (f.suggestion) { box.appendChild(h('div', 'sg', 'Suggestion: \u201c' + f.suggestion + '\u201d')); }
      var meta = f.category + (f.system ? ' · ' + f.system : '') +
        (f.confidence !== null && f.confidence < 1 ? ' · confidence ' + f.confidence.toFixed(2) : '');
      box.appendChild(h('div', 'mt', meta));
      tip.appendChild(box);
    });
    tip.hidden = false;
    var r = mark.getBoundingClientRect();
    // Below the span, or above it when the window has no room below.
    var below = r.bottom + 6 + tip.offsetHeight <= document.documentElement.clientHeight || r.top < tip.offsetHeight + 6;
    var top = window.scrollY + (below ? r.bottom + 6 : r.top - tip.offsetHeight - 6);
    var left = window.scrollX + r.left;
    tip.style.left = Math.max(4, Math.min(left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + 'px';
    tip.style.top = top + 'px';
    mark.setAttribute('aria-describedby', 'tip');
    tipFor = mark;
  }
  function hideTip() {
    if (tipFor) { tipFor.removeAttribute('aria-describedby'); }
    tipFor = null;
    if (el.tip) { el.tip.hidden = true; }
  }

  el.list.addEventListener('mouseover', function (ev) {
    var m = ev.target.closest ? ev.target.closest('mark.f') : null;
    if (m && m !== tipFor) { showTip(m); }
  });
  el.list.addEventListener('mouseout', function (ev) {
    var m = ev.target.closest ? ev.target.closest('mark.f') : null;
    if (m && m === tipFor && document.activeElement !== m && !m.contains(ev.relatedTarget)) { hideTip(); }
  });
  el.list.addEventListener('focusin', function (ev) {
    if (ev.target.matches && ev.target.matches('mark.f')) { showTip(ev.target); }
  });
  el.list.addEventListener('focusout', function (ev) {
    if (ev.target === tipFor) { hideTip(); }
  });
  el.list.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-doc]') : null;
    if (!b) { return; }
    el.doc.value = b.dataset.doc;
    el.sort.value = 'order';
    var row = parseInt(b.dataset.row, 10);
    compute();
    var at = 0;
    state.view.forEach(function (v, k) { if (v.i === row) { at = k; } });
    state.page = Math.floor(at / pageSize());
    render(false);
    var target = document.getElementById('seg-' + row);
    if (target) { target.focus(); target.scrollIntoView({ block: 'start' }); }
  });

  // -- controls and keys ---------------------------------------------------
  [el.doc, el.det, el.sev, el.sort, el.only, el.size].forEach(function (c) {
    if (c) { c.addEventListener('change', update); }
  });
  el.sysBoxes.forEach(function (b) { b.addEventListener('change', update); });
  el.prev.addEventListener('click', function () { gotoPage(state.page - 1); });
  el.next.addEventListener('click', function () { gotoPage(state.page + 1); });

  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { hideTip(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) { return; }
    var pos = currentPos();
    switch (ev.key) {
      case 'j':
        if (pos + 1 >= el.list.querySelectorAll('article.seg').length && state.page < pageCount() - 1) { gotoPage(state.page + 1); }
        else { focusSeg(pos + 1); }
        break;
      case 'k':
        if (pos <= 0 && state.page > 0) { gotoPage(state.page - 1, 'last'); } else { focusSeg(pos - 1); }
        break;
      case 'n': gotoPage(state.page + 1); break;
      case 'p': gotoPage(state.page - 1); break;
      case '/': ev.preventDefault(); el.doc.focus(); break;
      default: return;
    }
  });

  var help = document.getElementById('keys');
  if (help) { help.hidden = false; }
  root.hidden = false;
  compute();
  render(false);
  document.documentElement.setAttribute('data-ready', '1');
}());
