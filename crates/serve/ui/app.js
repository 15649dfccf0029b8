// Dossier web UI: hash-routed views over the /api/v1 JSON API.
// All text from the knowledge base is inserted as text nodes, never as HTML.
'use strict';

const API = '/api/v1';
const view = document.getElementById('view');

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path) {
  const res = await fetch(API + path, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch (_) { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : `HTTP ${res.status}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

const enc = encodeURIComponent;
const plural = (n, one, many) => `${n} ${n === 1 ? one : (many || one + 's')}`;
const words = s => String(s || '').replace(/_/g, ' ');

function typeClass(t) {
  return ['PERSON', 'ORG', 'GPE', 'LOC', 'FAC'].includes(t) ? `t-${t}` : 't-other';
}

function badge(type) {
  return el('span', { class: `badge ${typeClass(type)}`, title: 'Entity type' }, type);
}

function entityLink(ref) {
  if (!ref) return el('span', { class: 'muted' }, 'unknown');
  return el('a', { href: `#/entity/${enc(ref.id)}`, title: ref.type }, ref.name);
}

// A document's title, else the last part of where it came from.
function docLabel(title, published, source) {
  const from = source ? source.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() : '';
  return [title || from || 'Untitled document', published ? ` (${published})` : ''].join('');
}

// A link to a piece of evidence: opens the document scrolled to the span.
function evidenceLink(ev) {
  return el('a', {
    class: 'ev',
    href: `#/doc/${enc(ev.doc)}?start=${ev.start}&end=${ev.end}`,
    'data-text': ev.text,
  }, el('q', {}, ev.text), ' ', el('span', { class: 'src' }, '— ', docLabel(ev.doc_title, ev.published, ev.doc_source)));
}

function evidenceList(list, total, shown) {
  if (!list || list.length === 0) return el('span', { class: 'muted' }, 'no evidence recorded');
  const max = shown || 3;
  const first = list.slice(0, max).map(ev => el('li', {}, evidenceLink(ev)));
  const ul = el('ul', { class: 'evidence' }, first);
  const more = list.slice(max);
  const hidden = (total || list.length) - list.length;
  if (more.length === 0 && hidden <= 0) return ul;
  const label = `${more.length + Math.max(hidden, 0)} more source${more.length + hidden === 1 ? '' : 's'}`;
  return el('div', {}, ul, el('details', {}, el('summary', {}, label),
    el('ul', { class: 'evidence' }, more.map(ev => el('li', {}, evidenceLink(ev)))),
    hidden > 0 ? el('p', { class: 'muted' }, `${hidden} further mentions not listed.`) : null));
}

function dateText(d) {
  if (!d || !d.value) return d && d.text ? `undated (“${d.text}”)` : 'undated';
  return d.value;
}

function setTitle(t) { document.title = t ? `${t} — Dossier` : 'Dossier'; }

function render(...nodes) {
  view.replaceChildren(...nodes.flat(Infinity).filter(n => n !== null && n !== undefined && n !== false));
}

function showError(e) {
  const msg = e.status === 404 ? 'Not found: ' + e.message : 'Something went wrong: ' + e.message;
  render(el('h1', {}, e.status === 404 ? 'Not found' : 'Error'), el('p', { class: 'error', role: 'alert' }, msg),
    el('p', {}, el('a', { href: '#/' }, 'Back to search')));
}

function parseHash() {
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, query] = h.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params };
}

// ---------- search box with instant suggestions (ARIA combobox) ----------

const form = document.getElementById('search-form');
const input = document.getElementById('q');
const box = document.getElementById('suggestions');
let suggestTimer = null;
let suggestSeq = 0;
let active = -1;

function closeSuggestions() {
  box.hidden = true;
  box.replaceChildren();
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}

function markActive(i) {
  const items = [...box.children];
  items.forEach((li, k) => li.setAttribute('aria-selected', k === i ? 'true' : 'false'));
  active = i;
  if (items[i]) {
    input.setAttribute('aria-activedescendant', items[i].id);
    items[i].scrollIntoView({ block: 'nearest' });
  }
}

async function suggest() {
  const q = input.value.trim();
  const seq = ++suggestSeq;
  if (!/[\p{L}\p{N}]/u.test(q)) { closeSuggestions(); return; }
  let data;
  try { data = await api(`/search?q=${enc(q)}&limit=8`); } catch (_) { closeSuggestions(); return; }
  if (seq !== suggestSeq) return; // a newer keystroke won
  box.replaceChildren(...data.items.map((hit, i) => el('li', {
    id: `sugg-${i}`, role: 'option', 'aria-selected': 'false', 'data-id': hit.entity.id,
    onmousedown: ev => { ev.preventDefault(); openEntity(hit.entity.id); },
  }, el('div', { class: 'sname' }, hit.entity.name, ' ', badge(hit.entity.type)),
  el('div', { class: 'sline' }, hit.entity.line))));
  if (data.total > data.items.length) {
    box.append(el('li', { id: 'sugg-all', role: 'option', 'aria-selected': 'false', class: 'muted',
      onmousedown: ev => { ev.preventDefault(); goSearch(q); } }, `All ${data.total} matches…`));
  }
  const any = box.children.length > 0;
  box.hidden = !any;
  input.setAttribute('aria-expanded', any ? 'true' : 'false');
  active = -1;
}

function openEntity(id) {
  closeSuggestions();
  location.hash = `#/entity/${enc(id)}`;
}

function goSearch(q) {
  closeSuggestions();
  location.hash = `#/search?q=${enc(q)}`;
}

input.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(suggest, 120);
});
input.addEventListener('keydown', ev => {
  const n = box.children.length;
  if (ev.key === 'ArrowDown' && n) { ev.preventDefault(); markActive((active + 1) % n); }
  else if (ev.key === 'ArrowUp' && n) { ev.preventDefault(); markActive((active - 1 + n) % n); }
  else if (ev.key === 'Escape') { closeSuggestions(); }
  else if (ev.key === 'Enter' && active >= 0 && box.children[active]) {
    ev.preventDefault();
    const li = box.children[active];
    if (li.dataset.id) openEntity(li.dataset.id); else goSearch(input.value.trim());
  }
});
input.addEventListener('blur', () => setTimeout(closeSuggestions, 150));
form.addEventListener('submit', ev => {
  ev.preventDefault();
  const q = input.value.trim();
  if (q) goSearch(q);
});

// ---------- views ----------

async function homeView() {
  setTitle('');
  const s = await api('/stats');
  const stat = (n, label) => el('div', { class: 'stat' }, el('b', {}, n), label);
  render(
    el('h1', {}, 'Who is who, and who says so'),
    el('p', { class: 'muted' }, 'Search a name above. When several people share it, each is listed with what tells them apart. Every fact links to the sentence it came from.'),
    el('div', { class: 'stats', role: 'list', 'aria-label': 'Corpus' },
      [stat(s.documents, 'documents'), stat(s.entities, 'entities'), stat(s.events, 'events'),
        stat(s.relations, 'relations'), stat(s.claims, 'claims'), stat(s.disputed_claims, 'disputed claims')]
        .map(x => { x.setAttribute('role', 'listitem'); return x; })),
    s.published_first ? el('p', { class: 'muted' }, `Published ${s.published_first} to ${s.published_last}.`) : null,
    el('h2', {}, 'Entities by type'),
    el('p', {}, Object.entries(s.entities_by_type).map(([t, n]) => el('span', {}, badge(t), ` ${n} `))),
  );
}

async function searchView(params) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  input.value = q;
  setTitle(`Search: ${q}`);
  if (!q.trim()) { render(el('h1', {}, 'Search'), el('p', {}, 'Type a name in the search box.')); return; }
  const data = await api(`/search?q=${enc(q)}&limit=50${type ? '&type=' + enc(type) : ''}`);
  const people = data.items;
  const header = el('h1', {}, `“${q}”`);
  const note = data.total > 1
    ? el('p', { class: 'notice' }, `${data.total} entities match. They are kept apart because the sources give them different roles, places, dates or companions; compare the lines below.`)
    : data.total === 0 ? el('p', { class: 'notice' }, 'No entity matches this name.') : null;
  const list = el('ol', { class: 'cards', 'aria-label': 'Candidates' }, people.map(hit => el('li', { class: 'card candidate', 'data-id': hit.entity.id },
    el('h2', { class: 'cand-name', style: 'border:0;margin:.1em 0' }, el('a', { href: `#/entity/${enc(hit.entity.id)}` }, hit.entity.name), ' ', badge(hit.entity.type)),
    el('div', { class: 'line' }, hit.entity.line),
    hit.matched !== hit.entity.name ? el('div', { class: 'muted' }, `matched “${hit.matched}”`) : null,
  )));
  render(header, note, list);
}

function namesSection(d) {
  const rows = d.names.map(n => el('tr', {},
    el('th', { scope: 'row' }, n.text, n.canonical ? el('span', { class: 'muted' }, ' (display name)') : null),
    el('td', {}, plural(n.documents, 'document')),
    el('td', {}, evidenceList(n.evidence, n.evidence_total, 2))));
  return [el('h2', { id: 'names' }, 'Names and aliases'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Used in'), el('th', { scope: 'col' }, 'Where it is written so'))),
      el('tbody', {}, rows))];
}

function whySection(d) {
  const what = d.summary.type === 'PERSON' ? 'person' : d.summary.type === 'ORG' ? 'organisation' : 'entity';
  return [el('h2', { id: 'why' }, `Why is this one ${what}?`),
    el('div', { class: 'card why' },
      d.identity.explanation.map(s => el('p', {}, s)),
      d.identity.merges.length ? el('h3', {}, 'The evidence for each judgement') : null,
      el('ul', { class: 'cards' }, d.identity.merges.map(m => el('li', { class: 'card merge' },
        el('p', {}, m.reason),
        el('p', { class: 'muted' }, 'Confidence: ', el('strong', {}, m.confidence),
          m.score !== null ? [' ', el('span', { class: 'meter', role: 'img', 'aria-label': `score ${m.score.toFixed(2)} of 1` }, el('span', { style: `width:${Math.round(m.score * 100)}%` }))] : null),
        evidenceList(m.evidence, m.evidence.length, 3)))))];
}

function eventItem(e, focusId) {
  const who = e.participants.filter(p => !focusId || p.entity.id !== focusId);
  const mine = focusId ? e.participants.filter(p => p.entity.id === focusId).map(p => p.role) : [];
  return el('li', { class: 'event', 'data-id': e.id },
    el('span', { class: 'when' }, dateText(e.date)), ' ',
    el('span', { class: 'what' }, words(e.type)),
    mine.length ? el('span', { class: 'muted' }, ` (as ${mine.join(', ')})`) : null,
    e.places.length ? [' in ', e.places.map((p, i) => [i ? ', ' : '', entityLink(p)])] : null,
    who.length ? el('div', {}, who.map((p, i) => [i ? '; ' : '', el('span', { class: 'muted' }, `${p.role}: `), entityLink(p.entity)])) : null,
    evidenceList(e.evidence, e.evidence_total, 2));
}

function claimBrief(c) {
  return el('li', {}, el('span', { class: 'who' }, c.speaker ? entityLink(c.speaker) : (c.speaker_text || 'unattributed')),
    c.polarity === 'deny' ? el('span', { class: 'muted' }, ' (denies)') : null, ': ', evidenceLink(c.evidence));
}

function claimCard(c) {
  const tags = [c.kind === 'quote' ? 'direct quote' : 'reported', c.polarity === 'deny' ? 'denial' : null, c.hedged ? 'hedged' : null].filter(Boolean);
  return el('li', { class: `card claim ${c.polarity}`, 'data-id': c.id },
    el('div', {}, el('span', { class: 'who' }, c.speaker ? entityLink(c.speaker) : (c.speaker_text || 'Unattributed')),
      c.speaker && c.speaker_text ? el('span', { class: 'muted' }, ` (“${c.speaker_text}”)`) : null,
      ' ', el('span', { class: 'tags' }, tags.map(t => el('span', {}, t)))),
    el('div', {}, evidenceLink(c.evidence)),
    c.about.length ? el('div', { class: 'muted' }, 'About: ', c.about.map((a, i) => [i ? ', ' : '',
      a.what === 'entity' ? el('a', { href: `#/entity/${enc(a.id)}` }, a.label) : el('span', {}, a.label)])) : null,
    (c.supports.length || c.contradicts.length) ? el('div', { class: 'sides' },
      el('div', { class: 'for' }, el('h4', {}, `Supported by (${c.supports.length})`),
        c.supports.length ? el('ul', {}, c.supports.map(claimBrief)) : el('p', { class: 'muted' }, 'No other source repeats it.')),
      el('div', { class: 'against' }, el('h4', {}, `Contradicted by (${c.contradicts.length})`),
        c.contradicts.length ? el('ul', {}, c.contradicts.map(claimBrief)) : el('p', { class: 'muted' }, 'No source disputes it.'))) : null);
}

// Disputed claims grouped into disputes: claims that support each other
// stand on one side, claims that contradict them on the other. One card per
// dispute instead of one per claim, each repeating the same two lists.
function disputes(list) {
  const full = new Map(list.map(c => [c.id, c]));
  const info = new Map();
  for (const c of list) {
    for (const b of [...c.supports, ...c.contradicts]) if (!info.has(b.id)) info.set(b.id, b);
  }
  for (const c of list) info.set(c.id, c);
  const side = new Map();
  const out = [];
  for (const c of list) {
    if (side.has(c.id)) continue;
    const members = [];
    const about = new Map();
    side.set(c.id, 0);
    const queue = [c.id];
    while (queue.length) {
      const id = queue.shift();
      members.push(id);
      const x = full.get(id);
      if (!x) continue;
      for (const a of x.about) if (!about.has(a.label)) about.set(a.label, a);
      for (const b of x.supports) if (!side.has(b.id)) { side.set(b.id, side.get(id)); queue.push(b.id); }
      for (const b of x.contradicts) if (!side.has(b.id)) { side.set(b.id, 1 - side.get(id)); queue.push(b.id); }
    }
    const sides = [0, 1].map(k => members.filter(id => side.get(id) === k).map(id => info.get(id)));
    // The side that mostly asserts is "says so"; the other disagrees.
    const asserts = xs => xs.filter(x => x.polarity !== 'deny').length - xs.filter(x => x.polarity === 'deny').length;
    if (asserts(sides[1]) > asserts(sides[0])) sides.reverse();
    out.push({ about: [...about.values()], sides });
  }
  return out;
}

function disputeCard(g) {
  return el('li', { class: 'card claim dispute' },
    g.about.length ? el('div', {}, el('strong', {}, 'About: '), g.about.map((a, i) => [i ? ', ' : '',
      a.what === 'entity' ? el('a', { href: `#/entity/${enc(a.id)}` }, a.label) : el('span', {}, a.label)])) : null,
    el('div', { class: 'sides' },
      el('div', { class: 'for' }, el('h4', {}, `Sources that say so (${g.sides[0].length})`),
        el('ul', {}, g.sides[0].map(claimBrief))),
      g.sides[1].length ? el('div', { class: 'against' }, el('h4', {}, `Sources that deny or disagree (${g.sides[1].length})`),
        el('ul', {}, g.sides[1].map(claimBrief))) : null));
}

function claimsSection(d) {
  const g = d.claims;
  const total = g.disputed.length + g.corroborated.length + g.single_source.length;
  const part = (title, list, id) => list.length ? [el('h3', { id }, `${title} (${list.length})`), el('ul', { class: 'cards' }, list.map(claimCard))] : null;
  const groups = disputes(g.disputed);
  return [el('h2', { id: 'claims' }, `Who says what (${total})`),
    total === 0 ? el('p', { class: 'muted' }, 'No attributed statements about this entity.') : null,
    groups.length ? [el('h3', { id: 'claims-disputed' }, `Disputed: sources disagree (${plural(groups.length, 'dispute')})`),
      el('ul', { class: 'cards' }, groups.map(disputeCard))] : null,
    g.corroborated.length ? [el('h3', { id: 'claims-corroborated' }, `Corroborated by other sources (${g.corroborated.length})`),
      el('ul', { class: 'cards' }, disputes(g.corroborated).map(disputeCard))] : null,
    part('From a single source', g.single_source, 'claims-single')];
}

async function entityView(id) {
  const d = await api(`/entities/${enc(id)}`);
  const s = d.summary;
  setTitle(s.name);
  render(
    el('p', { class: 'muted' }, el('a', { href: `#/search?q=${enc(s.name)}` }, 'Others with this name')),
    el('h1', {}, s.name, ' ', badge(s.type)),
    el('p', { class: 'line', id: 'one-liner' }, s.line),
    el('div', { class: 'actions' },
      el('a', { class: 'button', href: `#/entity/${enc(s.id)}/graph` }, 'Graph'),
      el('a', { class: 'button', href: `#/timeline?entity=${enc(s.id)}` }, 'Timeline'),
      el('a', { class: 'button', href: '#why', onclick: jump('why') }, 'Why one entity?'),
      el('a', { class: 'button', href: '#claims', onclick: jump('claims') }, 'Claims')),
    d.descriptions.length ? [el('h2', { id: 'descriptions' }, 'How sources describe it'),
      el('ul', { class: 'cards' }, d.descriptions.map(x => el('li', { class: 'card' }, el('strong', {}, x.text), evidenceList(x.evidence, x.evidence.length, 3))))] : null,
    namesSection(d),
    whySection(d),
    el('h2', { id: 'events' }, `Timeline (${d.events.length})`),
    d.events.length ? el('ol', { class: 'timeline' }, d.events.map(e => eventItem(e, s.id))) : el('p', { class: 'muted' }, 'No events recorded.'),
    el('h2', { id: 'relations' }, `Relations (${d.relations.length})`),
    d.relations.length ? el('ul', { class: 'cards' }, d.relations.map(r => el('li', { class: 'card relation' },
      el('div', {}, relationSentence(r)), evidenceList(r.evidence, r.evidence.length, 2)))) : el('p', { class: 'muted' }, 'No relations recorded.'),
    claimsSection(d),
    el('h2', { id: 'documents' }, `Documents (${d.documents.length})`),
    el('ul', {}, d.documents.map(doc => el('li', {}, el('a', { href: `#/doc/${enc(doc.id)}?entity=${enc(s.id)}` }, docLabel(doc.title, doc.published, doc.source)),
      el('span', { class: 'muted' }, ` — ${plural(doc.mentions, 'mention')}, ${doc.source}`)))),
  );
}

// In-page jumps without leaving the hash route.
function jump(id) {
  return ev => {
    ev.preventDefault();
    const t = document.getElementById(id);
    if (t) { t.setAttribute('tabindex', '-1'); t.scrollIntoView({ block: 'start' }); t.focus({ preventScroll: true }); }
  };
}

function relationSentence(r) {
  // The server's sentence names both sides; rebuild it with links.
  const s = r.sentence;
  const a = s.indexOf(r.subject.name);
  const b = s.lastIndexOf(r.object.name);
  if (a === 0 && b > a + r.subject.name.length - 1) {
    return [entityLink(r.subject), s.slice(r.subject.name.length, b), entityLink(r.object), s.slice(b + r.object.name.length)];
  }
  return [entityLink(r.subject), ` — ${words(r.type)}${r.role ? ' (' + r.role + ')' : ''} — `, entityLink(r.object)];
}

// ---------- graph ----------

const TYPE_COLOURS = { PERSON: '#2f6fce', ORG: '#2e8b57', GPE: '#c4622d', LOC: '#c4622d', FAC: '#c4622d' };

async function graphView(id) {
  const g = await api(`/entities/${enc(id)}/graph?depth=1&limit=60`);
  const center = g.nodes[0];
  setTitle(`${center.name}: graph`);
  const container = el('div', { id: 'graph', role: 'img', 'aria-label': `Graph of ${center.name} and ${g.nodes.length - 1} neighbours; the list beside it has the same content` });
  const details = el('div', { id: 'node-details', class: 'card', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Click a node to show it here and expand its neighbours.'));
  const list = el('ul', { class: 'nodelist', id: 'node-list' });
  render(
    el('p', {}, el('a', { href: `#/entity/${enc(id)}` }, `← ${center.name}`)),
    el('h1', {}, `Around ${center.name}`),
    el('p', { class: 'muted' }, 'Solid lines: relations. Dashed: shared events. Faint: named in the same documents. Click a node to expand it; double-click to open its dossier.'),
    g.truncated ? el('p', { class: 'notice' }, 'The neighbourhood was cut at the node limit.') : null,
    el('div', { class: 'graphwrap' }, container, el('div', {}, details, el('h2', {}, 'Nodes'), list)),
  );
  if (typeof window.cytoscape !== 'function') {
    container.replaceChildren(el('p', { class: 'error' }, 'The graph library did not load.'));
    return;
  }
  const cy = window.cytoscape({
    container,
    elements: [],
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: 'node', style: {
        label: 'data(name)', 'font-size': 12, 'text-wrap': 'wrap', 'text-max-width': 110, 'min-zoomed-font-size': 6,
        'text-valign': 'bottom', 'text-margin-y': 4, color: '#1d2430',
        'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 2,
        'background-color': 'data(colour)', width: 'data(size)', height: 'data(size)',
        'border-width': 1, 'border-color': '#fff' } },
      { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#e9a23b', 'font-weight': 'bold' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1d2430' } },
      { selector: 'edge', style: {
        width: 2, 'line-color': '#7d8899', 'curve-style': 'bezier', label: 'data(label)',
        'font-size': 10, color: '#444', 'text-rotation': 'autorotate',
        'text-background-color': '#fff', 'text-background-opacity': 0.8, 'text-background-padding': 1 } },
      { selector: 'edge.relation', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#7d8899', 'line-color': '#4a5568' } },
      { selector: 'edge.event', style: { 'line-style': 'dashed', 'line-color': '#b0693a' } },
      { selector: 'edge.co_mention', style: { width: 1, 'line-color': '#c8ced8', label: '' } },
    ],
  });
  const expanded = new Set();
  // Rings by hops from the centre: readable, and stable as nodes are added.
  const addGraph = (data, baseHop) => {
    const add = [];
    for (const n of data.nodes) {
      if (cy.getElementById(n.id).length) continue;
      add.push({ group: 'nodes', data: { id: n.id, name: n.name, type: n.type, line: n.line, hop: baseHop + n.depth,
        colour: TYPE_COLOURS[n.type] || '#7a4fb0', size: Math.min(16 + 4 * Math.sqrt(n.documents), 40) },
      classes: n.id === id ? 'center' : '' });
    }
    for (const e of data.edges) {
      if (cy.getElementById(e.id).length) continue;
      add.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.kind });
    }
    cy.add(add);
    cy.layout({ name: 'concentric', concentric: n => 100 - n.data('hop'), levelWidth: () => 1,
      minNodeSpacing: 55, spacingFactor: 1.1, avoidOverlap: true, animate: false, padding: 40 }).run();
    renderList();
  };
  const renderList = () => {
    const nodes = cy.nodes().map(n => n.data()).sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : a.name.localeCompare(b.name)));
    list.replaceChildren(...nodes.map(n => el('li', { 'data-id': n.id },
      el('a', { href: `#/entity/${enc(n.id)}` }, n.name), ' ', badge(n.type), ' ',
      expanded.has(n.id) ? el('span', { class: 'muted' }, 'expanded')
        : el('button', { type: 'button', 'aria-label': `Expand ${n.name}`, onclick: () => expand(n.id) }, 'Expand'))));
  };
  const expand = async nid => {
    if (expanded.has(nid)) return;
    expanded.add(nid);
    const hop = cy.getElementById(nid).data('hop') || 0;
    try { addGraph(await api(`/entities/${enc(nid)}/graph?depth=1&limit=40`), hop); } catch (e) { expanded.delete(nid); }
  };
  const showNode = n => {
    details.replaceChildren(el('h3', {}, n.data('name'), ' ', badge(n.data('type'))), el('p', { class: 'line' }, n.data('line')),
      el('p', {}, el('a', { href: `#/entity/${enc(n.id())}` }, 'Open dossier')));
  };
  cy.on('tap', 'node', evt => { showNode(evt.target); expand(evt.target.id()); });
  cy.on('dbltap', 'node', evt => { location.hash = `#/entity/${enc(evt.target.id())}`; });
  expanded.add(id);
  addGraph(g, 0);
  window.dossierGraph = cy; // for tests and the console
}

// ---------- timeline ----------

async function timelineView(params) {
  const entity = params.get('entity') || '';
  const type = params.get('type') || '';
  const from = params.get('from') || '';
  const to = params.get('to') || '';
  const [stats, who] = await Promise.all([api('/stats'), entity ? api(`/entities/${enc(entity)}`) : null]);
  setTitle(who ? `${who.summary.name}: timeline` : 'Timeline');
  const q = new URLSearchParams();
  if (entity) q.set('entity', entity);
  if (type) q.set('type', type);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const list = el('ol', { class: 'timeline', id: 'timeline-list' });
  const status = el('p', { class: 'muted', id: 'timeline-status' });
  const more = el('button', { type: 'button', hidden: true }, 'Show more');
  let offset = 0;
  const load = async () => {
    q.set('offset', offset);
    q.set('limit', 50);
    let page;
    try { page = await api(`/timeline?${q}`); } catch (e) { status.replaceChildren(el('span', { class: 'error', role: 'alert' }, e.message)); return; }
    list.append(...page.items.map(e => eventItem(e, entity || null)));
    offset += page.items.length;
    status.textContent = page.total === 0 ? 'No events match.' : `${plural(page.total, 'event')}${page.total > offset ? `, showing ${offset}` : ''}.`;
    more.hidden = offset >= page.total;
  };
  more.addEventListener('click', load);
  const typeSelect = el('select', { name: 'type', id: 'f-type' }, el('option', { value: '' }, 'All types'),
    Object.keys(stats.events_by_type).map(t => el('option', { value: t, selected: t === type }, words(t))));
  const fromInput = el('input', { name: 'from', id: 'f-from', value: from, placeholder: 'YYYY[-MM[-DD]]', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', size: 12 });
  const toInput = el('input', { name: 'to', id: 'f-to', value: to, placeholder: 'YYYY[-MM[-DD]]', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', size: 12 });
  const filters = el('form', { class: 'filters', 'aria-label': 'Filter events', onsubmit: ev => {
    ev.preventDefault();
    const n = new URLSearchParams();
    if (entity) n.set('entity', entity);
    if (typeSelect.value) n.set('type', typeSelect.value);
    if (fromInput.value.trim()) n.set('from', fromInput.value.trim());
    if (toInput.value.trim()) n.set('to', toInput.value.trim());
    location.hash = `#/timeline?${n}`;
  } },
  el('label', { for: 'f-type' }, 'Event type', typeSelect),
  el('label', { for: 'f-from' }, 'From', fromInput),
  el('label', { for: 'f-to' }, 'To', toInput),
  el('button', { type: 'submit' }, 'Apply'),
  entity ? el('a', { href: '#/timeline', class: 'button' }, 'Whole corpus') : null);
  render(
    who ? el('p', {}, el('a', { href: `#/entity/${enc(entity)}` }, `← ${who.summary.name}`)) : null,
    el('h1', {}, who ? `Timeline of ${who.summary.name}` : 'Timeline of the corpus'),
    filters, status, list, more);
  await load();
}

// ---------- documents ----------

async function documentsView(params) {
  const offset = Number(params.get('offset') || 0);
  const page = await api(`/documents?offset=${offset}&limit=50`);
  setTitle('Documents');
  render(el('h1', {}, `Documents (${page.total})`),
    el('table', {}, el('thead', {}, el('tr', {}, ['Title', 'Published', 'Source', 'Entities', 'Events', 'Claims'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, page.items.map(d => el('tr', {},
        el('td', {}, el('a', { href: `#/doc/${enc(d.id)}` }, docLabel(d.title, null, d.source))),
        el('td', {}, d.published || '—'), el('td', { class: 'muted' }, d.source),
        el('td', {}, d.entities), el('td', {}, d.events), el('td', {}, d.claims))))),
    el('div', { class: 'actions' },
      offset > 0 ? el('a', { class: 'button', href: `#/documents?offset=${Math.max(0, offset - 50)}` }, 'Previous') : null,
      offset + page.items.length < page.total ? el('a', { class: 'button', href: `#/documents?offset=${offset + 50}` }, 'Next') : null));
}

// Build the highlighted text. Offsets are Unicode code points; JavaScript
// strings index UTF-16 units, so the text is split into code points first.
function renderText(doc, target, focusEntity) {
  const cps = Array.from(doc.text);
  const spans = doc.spans.filter(s => s.end <= cps.length && s.start <= s.end);
  if (target) spans.push({ start: target.start, end: target.end, layer: 'target' });
  const cuts = new Set([0, cps.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = el('div', { class: 'doctext', id: 'doctext', lang: doc.language });
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const text = cps.slice(a, b).join('');
    const over = spans.filter(s => s.start <= a && s.end >= b && s.end > s.start);
    if (over.length === 0) { out.append(text); continue; }
    const mention = over.filter(s => s.layer === 'mention').sort((x, y) => (x.end - x.start) - (y.end - y.start))[0];
    const classes = [];
    const titles = [];
    if (over.some(s => s.layer === 'time')) { classes.push('tm'); titles.push(...over.filter(s => s.layer === 'time').map(s => `time: ${s.label}`)); }
    if (over.some(s => s.layer === 'claim')) { classes.push('cl'); titles.push(...over.filter(s => s.layer === 'claim').map(s => `claim by ${s.label}`)); }
    for (const s of over.filter(x => x.layer === 'event' || x.layer === 'relation')) titles.push(`${s.layer}: ${s.label}`);
    if (over.some(s => s.layer === 'target')) classes.push('target');
    let node;
    if (mention) {
      classes.push('m', typeClass(mention.kind));
      if (focusEntity && mention.target === focusEntity) classes.push('focus');
      titles.unshift(`${mention.label} (${mention.kind})`);
      node = el('a', { href: `#/entity/${enc(mention.target)}`, class: classes.join(' '), 'data-entity': mention.target, title: titles.join('\n') }, text);
    } else {
      node = el('span', { class: classes.join(' '), title: titles.join('\n') || null }, text);
    }
    out.append(node);
  }
  return out;
}

async function documentView(id, params) {
  const doc = await api(`/documents/${enc(id)}`);
  setTitle(doc.title || 'Document');
  const start = params.has('start') ? Number(params.get('start')) : NaN;
  const end = params.has('end') ? Number(params.get('end')) : NaN;
  const target = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start && end <= doc.length ? { start, end } : null;
  const text = renderText(doc, target, params.get('entity'));
  const toggles = ['mention', 'time', 'claim'].map(layer => el('li', {}, el('label', {},
    el('input', { type: 'checkbox', checked: true, onchange: ev => text.classList.toggle(`hide-${layer}`, !ev.target.checked) }),
    ` ${{ mention: 'Names (by type)', time: 'Time expressions', claim: 'Claims' }[layer]}`)));
  const entities = new Map();
  for (const s of doc.spans) if (s.layer === 'mention' && !entities.has(s.target)) entities.set(s.target, { id: s.target, name: s.label, type: s.kind });
  const claims = doc.spans.filter(s => s.layer === 'claim');
  render(
    el('h1', {}, doc.title || 'Untitled document'),
    el('p', { class: 'muted' }, [doc.published ? `Published ${doc.published}` : 'Publication date unknown', doc.byline ? ` · ${doc.byline}` : '', ` · ${doc.source}`].join('')),
    target ? el('p', { class: 'notice', id: 'evidence-note' }, 'The highlighted passage is the evidence you opened. ',
      el('a', { href: '#evidence', onclick: ev => { ev.preventDefault(); focusTarget(); } }, 'Go to it')) : null,
    el('div', { class: 'reader' }, text, el('aside', { class: 'side', 'aria-label': 'Layers and entities' },
      el('h3', {}, 'Show'), el('ul', { class: 'legend' }, toggles),
      el('ul', { class: 'legend' }, [['PERSON', 'people'], ['ORG', 'organisations'], ['GPE', 'places'], ['other', 'other']].map(([t, label]) =>
        el('li', {}, el('span', { class: `sw ${typeClass(t === 'other' ? 'X' : t)}`, 'aria-hidden': 'true' }), label))),
      el('h3', {}, `Named here (${entities.size})`),
      el('ul', {}, [...entities.values()].sort((a, b) => a.name.localeCompare(b.name)).map(e => el('li', {}, entityLink(e)))),
      claims.length ? [el('h3', {}, `Claims (${claims.length})`), el('ul', {}, claims.map(c => el('li', {},
        el('a', { href: `#/doc/${enc(doc.id)}?start=${c.start}&end=${c.end}` }, `${c.label}: “${c.text.length > 60 ? c.text.slice(0, 57) + '…' : c.text}”`))))] : null)));
  if (target) focusTarget();
}

function focusTarget() {
  const first = document.querySelector('#doctext .target');
  if (!first) return;
  first.setAttribute('tabindex', '-1');
  first.scrollIntoView({ block: 'center' });
  first.focus({ preventScroll: true });
}

// ---------- router ----------

async function route() {
  closeSuggestions();
  const { parts, params } = parseHash();
  // In-page anchors (#why) are handled by jump(); ignore them here.
  if (location.hash && !location.hash.startsWith('#/')) return;
  render(el('p', { class: 'muted' }, 'Loading…'));
  try {
    if (parts.length === 0) await homeView();
    else if (parts[0] === 'search') await searchView(params);
    else if (parts[0] === 'entity' && parts[1] && parts[2] === 'graph') await graphView(parts[1]);
    else if (parts[0] === 'entity' && parts[1]) await entityView(parts[1]);
    else if (parts[0] === 'timeline') await timelineView(params);
    else if (parts[0] === 'documents') await documentsView(params);
    else if (parts[0] === 'doc' && parts[1]) await documentView(parts[1], params);
    else { const e = new Error(location.hash); e.status = 404; throw e; }
    if (!(parts[0] === 'doc' && params.has('start'))) view.focus({ preventScroll: true });
    if (!(parts[0] === 'doc' && params.has('start'))) window.scrollTo(0, 0);
  } catch (e) {
    showError(e);
  }
  document.body.dataset.view = parts[0] || 'home';
  document.body.dataset.ready = String(Date.now());
}

window.addEventListener('hashchange', route);
route();
