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

// A "show more" button under a paged list. `first` is the page already
// shown ({ total, offset, limit, items }); `load(offset)` fetches the next
// page in the same shape; `add(items)` appends them. The button says how
// many are left and goes away at the end.
function pager(first, load, add, what) {
  let next = first.offset + first.limit;
  let total = first.total;
  const btn = el('button', { type: 'button', class: 'more' });
  const note = el('span', { class: 'muted', role: 'status' });
  const update = () => {
    const left = Math.max(total - next, 0);
    btn.hidden = left === 0;
    btn.textContent = `Show more ${what || ''} (${left} more)`.replace('  ', ' ');
  };
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    note.textContent = 'Loading…';
    try {
      const page = await load(next);
      add(page.items);
      next = page.offset + page.limit;
      total = page.total;
      note.textContent = '';
    } catch (e) {
      note.textContent = `Could not load more: ${e.message}`;
    }
    btn.disabled = false;
    update();
  });
  update();
  return el('div', { class: 'pager', 'data-list': what || null }, btn, ' ', note);
}

// How many of a total are shown: "3" or "20 of 45".
const shownOf = (shown, total) => (total > shown ? `${shown} of ${total}` : `${total}`);

async function searchView(params) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  input.value = q;
  setTitle(`Search: ${q}`);
  if (!q.trim()) { render(el('h1', {}, 'Search'), el('p', {}, 'Type a name in the search box.')); return; }
  const path = offset => `/search?q=${enc(q)}&offset=${offset}&limit=50${type ? '&type=' + enc(type) : ''}`;
  const data = await api(path(0));
  const header = el('h1', {}, `“${q}”`);
  const note = data.total > 1
    ? el('p', { class: 'notice' }, `${data.total} entities match. They are kept apart because the sources give them different roles, places, dates or companions; compare the lines below.`)
    : data.total === 0 ? el('p', { class: 'notice' }, 'No entity matches this name.') : null;
  const card = hit => el('li', { class: 'card candidate', 'data-id': hit.entity.id },
    el('h2', { class: 'cand-name' }, el('a', { href: `#/entity/${enc(hit.entity.id)}` }, hit.entity.name), ' ', badge(hit.entity.type)),
    el('div', { class: 'line' }, hit.entity.line),
    hit.matched !== hit.entity.name ? el('div', { class: 'muted' }, `matched “${hit.matched}”`) : null);
  const list = el('ol', { class: 'cards', 'aria-label': 'Candidates' }, data.items.map(card));
  render(header, note, list, pager(data, o => api(path(o)), items => list.append(...items.map(card)), 'matches'));
}

// The dossier's lists page through the dossier itself: the same route with
// an offset returns the next page of every list; one of them is taken.
function dossierPage(id, key, size) {
  return async offset => {
    const d = await api(`/entities/${enc(id)}?offset=${offset}&limit=${size}`);
    return key.split('.').reduce((x, k) => x[k], d);
  };
}

// Items per page: `?page=N` in the address (1 to 100), else 20.
function pageSize(params) {
  const n = Number(params.get('page'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 20;
}

function nameRow(n) {
  return el('tr', {},
    el('th', { scope: 'row' }, n.text, n.canonical ? el('span', { class: 'muted' }, ' (display name)') : null),
    el('td', {}, plural(n.documents, 'document')),
    el('td', {}, evidenceList(n.evidence, n.evidence_total, 2)));
}

function namesSection(d, size) {
  const body = el('tbody', {}, d.names.items.map(nameRow));
  return [el('h2', { id: 'names' }, `Names and aliases (${d.names.total})`),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Used in'), el('th', { scope: 'col' }, 'Where it is written so'))),
      body),
    pager(d.names, dossierPage(d.summary.id, 'names', size), items => body.append(...items.map(nameRow)), 'names')];
}

function descriptionCard(x) {
  return el('li', { class: 'card' }, el('strong', {}, x.text),
    el('span', { class: 'muted' }, ` — ${plural(x.total, 'source')}`), evidenceList(x.evidence, x.total, 3));
}

/// Sanctions-list entries the entity resembles, from the last screening of
/// the knowledge base (`dossier screen --db`), with why.
function sanctionsSection(d) {
  if (!d.sanctions || d.sanctions.length === 0) return null;
  const card = m => el('li', { class: `card sanction ${m.match ? 'match' : 'possible'}` },
    el('div', {}, el('strong', {}, `${m.list.toUpperCase()} ${m.list_id}`), ` ${m.name} `,
      el('span', { class: 'tags' }, el('span', {}, m.match ? 'match' : 'possible match'), el('span', {}, `score ${m.score.toFixed(2)}`))),
    m.programs ? el('div', { class: 'muted' }, `Programmes: ${m.programs}${m.list_date ? ` · list of ${m.list_date}` : ''}`) : null,
    el('ul', { class: 'reasons' }, m.explanation.map(x => el('li', {}, x))));
  return [el('h2', { id: 'sanctions' }, `Sanctions lists (${d.sanctions.length})`),
    el('ul', { class: 'cards', id: 'sanctions-list' }, d.sanctions.map(card))];
}

function descriptionsSection(d, size) {
  if (d.descriptions.total === 0) return null;
  const list = el('ul', { class: 'cards' }, d.descriptions.items.map(descriptionCard));
  return [el('h2', { id: 'descriptions' }, `How sources describe it (${d.descriptions.total})`), list,
    pager(d.descriptions, dossierPage(d.summary.id, 'descriptions', size), items => list.append(...items.map(descriptionCard)), 'descriptions')];
}

function mergeCard(m) {
  return el('li', { class: 'card merge' },
    el('p', {}, m.reason),
    el('p', { class: 'muted' }, 'Confidence: ', el('strong', {}, m.confidence),
      m.score !== null ? [' ', el('span', { class: 'meter', role: 'img', 'aria-label': `score ${m.score.toFixed(2)} of 1` }, el('span', { style: `width:${Math.round(m.score * 100)}%` }))] : null),
    evidenceList(m.evidence, m.evidence.length, 3));
}

function whySection(d, size) {
  const what = d.summary.type === 'PERSON' ? 'person' : d.summary.type === 'ORG' ? 'organisation' : 'entity';
  const merges = d.identity.merges;
  const list = el('ul', { class: 'cards' }, merges.items.map(mergeCard));
  return [el('h2', { id: 'why' }, `Why is this one ${what}?`),
    el('div', { class: 'card why' },
      d.identity.explanation.map(s => el('p', {}, s)),
      merges.items.length ? el('h3', {}, 'The evidence for each judgement') : null,
      list,
      pager(merges, dossierPage(d.summary.id, 'identity.merges', size), items => list.append(...items.map(mergeCard)), 'judgements'))];
}

function eventItem(e, focusId) {
  const who = e.participants.filter(p => !focusId || p.entity.id !== focusId);
  const mine = focusId ? e.participants.filter(p => p.entity.id === focusId).map(p => p.role) : [];
  return el('li', { class: 'event', 'data-id': e.id },
    el('span', { class: 'when' }, dateText(e.date)), ' ',
    el('a', { class: 'what', href: `#/event/${enc(e.id)}` }, words(e.type)),
    e.modality && e.modality !== 'asserted' ? el('span', { class: 'tag modality' }, ` ${words(e.modality)}`) : null,
    e.amount ? el('span', { class: 'muted' }, ` · ${e.amount.text || e.amount.value}`) : null,
    mine.length ? el('span', { class: 'muted' }, ` (as ${mine.join(', ')})`) : null,
    e.places.length ? [' in ', e.places.map((p, i) => [i ? ', ' : '', entityLink(p)])] : null,
    el('span', { class: 'muted' }, ` · ${plural(e.documents_total, 'report')}`),
    who.length ? el('div', {}, who.map((p, i) => [i ? '; ' : '', el('span', { class: 'muted' }, `${p.role}: `), entityLink(p.entity)])) : null,
    evidenceList(e.evidence, e.evidence_total, 2));
}

/// How a speaker stands to a claim: the stored stance, or for claims stored
/// before stances were, their polarity. An asserted negative ("no ties with
/// the Taliban") is no denial.
function stanceOf(c) {
  if (c.stance === 'deny' || (!c.stance && c.polarity === 'deny')) return 'deny';
  if (c.stance === 'not_confirmed') return 'not_confirmed';
  if (c.stance === 'hedge' || c.hedged) return 'hedge';
  return null;
}

/// A stance in words: as a verb beside a speaker, and as a tag.
const STANCE_WORDS = {
  deny: ['denies', 'denial'],
  not_confirmed: ['does not confirm', 'does not confirm'],
  hedge: ['hedged', 'hedged'],
};

function stanceWords(c, form) {
  const s = stanceOf(c);
  return s ? STANCE_WORDS[s][form] : null;
}

function speakerOf(c, none) {
  const who = c.speaker ? entityLink(c.speaker) : (c.speaker_text || none);
  return [who, c.speaker_kind === 'unnamed' ? el('span', { class: 'muted' }, ' (unnamed source)') : null];
}

function claimBrief(c) {
  const stance = stanceWords(c, 0);
  return el('li', { 'data-id': c.id }, el('span', { class: 'who' }, speakerOf(c, 'unattributed')),
    stance ? el('span', { class: 'muted' }, ` (${stance})`) : null, ': ', evidenceLink(c.evidence));
}

function linkedClaims(title, list, total, none, cls) {
  return el('div', { class: cls }, el('h4', {}, `${title} (${total})`),
    list.length ? el('ul', {}, list.map(claimBrief)) : el('p', { class: 'muted' }, none),
    total > list.length ? el('p', { class: 'muted' }, `and ${total - list.length} more`) : null);
}

function claimCard(c) {
  const stance = stanceWords(c, 1);
  const tags = [c.kind === 'quote' ? 'direct quote' : 'reported', stance].filter(Boolean);
  return el('li', { class: `card claim ${stanceOf(c) === 'deny' ? 'deny' : 'assert'}`, 'data-id': c.id },
    el('div', {}, el('span', { class: 'who' }, speakerOf(c, 'Unattributed')),
      c.speaker && c.speaker_text ? el('span', { class: 'muted' }, ` (“${c.speaker_text}”)`) : null,
      ' ', el('span', { class: 'tags' }, tags.map(t => el('span', {}, t)))),
    el('div', {}, evidenceLink(c.evidence)),
    c.about.length ? el('div', { class: 'muted' }, 'About: ', c.about.map((a, i) => [i ? ', ' : '',
      el('a', { href: a.what === 'entity' ? `#/entity/${enc(a.id)}` : `#/event/${enc(a.id)}` }, a.label)])) : null,
    c.dispute ? el('div', {}, el('a', { href: `#/dispute/${enc(c.dispute)}` }, 'All claims in its group')) : null,
    (c.supports_total || c.contradicts_total) ? el('div', { class: 'sides' },
      linkedClaims('Supported by', c.supports, c.supports_total, 'No other source repeats it.', 'for'),
      linkedClaims('Contradicted by', c.contradicts, c.contradicts_total, 'No source disputes it.', 'against')) : null);
}

// One dispute or corroboration group as the build stored it: its two
// sides as the API lists them (the one that mostly asserts first).
function disputeCard(g) {
  const [yes, no] = g.sides;
  const shown = yes.length + no.length;
  return el('li', { class: `card claim dispute ${g.disputed ? 'disputed' : 'agreed'}`, 'data-id': g.id },
    el('div', {}, el('strong', {}, g.disputed ? 'Disputed: ' : 'Corroborated: '), g.about,
      ' ', el('a', { href: `#/dispute/${enc(g.id)}`, class: 'muted' }, `(${plural(g.claims, 'claim')})`)),
    el('div', { class: 'sides' },
      el('div', { class: 'for' }, el('h4', {}, g.disputed ? `One side (${yes.length})` : `Sources that agree (${yes.length})`),
        el('ul', {}, yes.map(claimBrief))),
      g.disputed ? el('div', { class: 'against' }, el('h4', {}, `The other side (${no.length})`),
        no.length ? el('ul', {}, no.map(claimBrief)) : el('p', { class: 'muted' }, 'None listed.')) : null),
    g.claims > shown ? el('p', { class: 'muted' }, `${g.claims - shown} more claims in this group: `,
      el('a', { href: `#/dispute/${enc(g.id)}` }, 'open it')) : null);
}

// The entity's claims in the groups the API gives (the same as the CLI
// shows): disputes, then corroborations, then single-source claims. More
// claims page in; a group already shown is not repeated.
function claimsSection(d, size) {
  const g = d.claims;
  const id = d.summary.id;
  const disputed = el('ul', { class: 'cards', id: 'claims-disputed-list' });
  const agreed = el('ul', { class: 'cards', id: 'claims-corroborated-list' });
  const single = el('ul', { class: 'briefs', id: 'claims-single-list' });
  const heads = {
    disputed: el('h3', { id: 'claims-disputed' }),
    agreed: el('h3', { id: 'claims-corroborated' }),
    single: el('h3', { id: 'claims-single' }),
  };
  const seen = new Set();
  const count = { disputed: 0, agreed: 0, single: 0 };
  const add = (groups, briefs) => {
    for (const x of groups) {
      if (seen.has(x.id)) continue;
      seen.add(x.id);
      if (x.disputed) { disputed.append(disputeCard(x)); count.disputed++; } else { agreed.append(disputeCard(x)); count.agreed++; }
    }
    single.append(...briefs.map(claimBrief));
    count.single += briefs.length;
    heads.disputed.textContent = `Disputed: sources disagree (${plural(count.disputed, 'dispute')})`;
    heads.agreed.textContent = `Corroborated by other sources (${plural(count.agreed, 'group')})`;
    heads.single.textContent = `From a single source (${count.single})`;
    for (const [k, list] of [['disputed', disputed], ['agreed', agreed], ['single', single]]) {
      heads[k].hidden = list.children.length === 0;
    }
  };
  add(g.groups, g.single_source);
  const load = async offset => {
    const page = await api(`/disputes?entity=${enc(id)}&offset=${offset}&limit=${size}`);
    return { total: page.total, offset, limit: size, items: page };
  };
  return [el('h2', { id: 'claims' }, `Who says what (${plural(g.total, 'claim')})`),
    g.total === 0 ? el('p', { class: 'muted' }, 'No attributed statements about this entity.') : null,
    heads.disputed, disputed, heads.agreed, agreed, heads.single, single,
    pager({ total: g.total, offset: 0, limit: size }, load, page => add(page.groups, page.single_source), 'claims')];
}

function relationCard(r) {
  return el('li', { class: 'card relation' }, el('div', {}, relationSentence(r)), evidenceList(r.evidence, r.evidence_total, 2));
}

function documentItem(doc, entity) {
  return el('li', {}, el('a', { href: `#/doc/${enc(doc.id)}?entity=${enc(entity)}` }, docLabel(doc.title, doc.published, doc.source)),
    el('span', { class: 'muted' }, ` — ${plural(doc.mentions, 'mention')}, ${doc.source}`));
}

async function entityView(id, params) {
  const size = pageSize(params);
  const d = await api(`/entities/${enc(id)}?limit=${size}`);
  const s = d.summary;
  setTitle(s.name);
  const events = el('ol', { class: 'timeline', id: 'events-list' }, d.events.items.map(e => eventItem(e, s.id)));
  const relations = el('ul', { class: 'cards', id: 'relations-list' }, d.relations.items.map(relationCard));
  const documents = el('ul', { id: 'documents-list' }, d.documents.items.map(x => documentItem(x, s.id)));
  const timelinePage = async offset => api(`/timeline?entity=${enc(s.id)}&offset=${offset}&limit=${size}`);
  render(
    el('p', { class: 'muted' }, el('a', { href: `#/search?q=${enc(s.name)}` }, 'Others with this name')),
    el('h1', {}, s.name, ' ', badge(s.type)),
    el('p', { class: 'line', id: 'one-liner' }, s.line),
    el('div', { class: 'actions' },
      el('a', { class: 'button', href: `#/entity/${enc(s.id)}/graph` }, 'Graph'),
      el('a', { class: 'button', href: `#/timeline?entity=${enc(s.id)}` }, 'Timeline'),
      el('a', { class: 'button', href: '#why', onclick: jump('why') }, 'Why one entity?'),
      el('a', { class: 'button', href: '#claims', onclick: jump('claims') }, 'Claims')),
    sanctionsSection(d),
    descriptionsSection(d, size),
    namesSection(d, size),
    whySection(d, size),
    el('h2', { id: 'events' }, `Timeline (${d.events.total})`),
    d.events.total ? [events, pager(d.events, timelinePage, items => events.append(...items.map(e => eventItem(e, s.id))), 'events')]
      : el('p', { class: 'muted' }, 'No events recorded.'),
    el('h2', { id: 'relations' }, `Relations (${d.relations.total})`),
    d.relations.total ? [relations, pager(d.relations, dossierPage(s.id, 'relations', size), items => relations.append(...items.map(relationCard)), 'relations')]
      : el('p', { class: 'muted' }, 'No relations recorded.'),
    claimsSection(d, size),
    el('h2', { id: 'documents' }, `Documents (${d.documents.total})`),
    documents,
    pager(d.documents, dossierPage(s.id, 'documents', size), items => documents.append(...items.map(x => documentItem(x, s.id))), 'documents'),
  );
}

async function eventView(id, params) {
  const size = pageSize(params);
  const e = await api(`/events/${enc(id)}?limit=${size}`);
  setTitle(`${words(e.type)} ${dateText(e.date)}`);
  const claims = el('ul', { class: 'cards', id: 'event-claims' }, e.claims.items.map(claimCard));
  render(
    el('h1', {}, el('span', { class: 'what' }, words(e.type)), ' ', el('span', { class: 'muted' }, dateText(e.date))),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Who'), el('dd', {}, e.participants.length ? e.participants.map((p, i) => [i ? '; ' : '', el('span', { class: 'muted' }, `${p.role}: `), entityLink(p.entity)]) : 'not named'),
      el('dt', {}, 'Where'), el('dd', {}, e.places.length ? e.places.map((p, i) => [i ? ', ' : '', entityLink(p)]) : 'not named'),
      el('dt', {}, 'When'), el('dd', {}, e.date && e.date.text && e.date.value ? `${e.date.value} (“${e.date.text}”)` : dateText(e.date))),
    el('h2', {}, `Reported by (${shownOf(e.documents.length, e.documents_total)})`),
    e.documents.length ? el('ul', {}, e.documents.map(doc => el('li', {}, el('a', { href: `#/doc/${enc(doc.id)}` }, docLabel(doc.title, doc.published, doc.source)))))
      : el('p', { class: 'muted' }, 'No document reports it as having happened (it is only mentioned, e.g. in a denial).'),
    el('h2', {}, `Evidence (${e.evidence_total})`),
    evidenceList(e.evidence, e.evidence_total, 5),
    el('h2', { id: 'claims' }, `Claims about it (${e.claims.total})`),
    e.claims.total ? claims : el('p', { class: 'muted' }, 'No claims about this event.'),
    pager(e.claims, async offset => (await api(`/events/${enc(id)}?offset=${offset}&limit=${size}`)).claims,
      items => claims.append(...items.map(claimCard)), 'claims'));
}

async function disputeView(id) {
  const g = await api(`/disputes/${enc(id)}`);
  setTitle(g.disputed ? 'Dispute' : 'Corroboration');
  render(el('h1', {}, g.disputed ? 'Sources disagree' : 'Sources agree'),
    el('p', { class: 'muted' }, `About ${g.about}; ${plural(g.claims, 'claim')} in all.`),
    el('ul', { class: 'cards' }, disputeCard(g)));
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
  const [stats, who] = await Promise.all([api('/stats'), entity ? api(`/entities/${enc(entity)}?limit=1`) : null]);
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
// Build the highlighted text. Offsets are Unicode code points; JavaScript
// strings index UTF-16 units, so the text is split into code points first.
// One sweep over the span boundaries in order: linear in the text plus the
// spans (times the few spans open at once), whatever the document's size.
// Every piece of the article is a text node, never markup.
function renderText(doc, target, focusEntity) {
  const cps = Array.from(doc.text);
  const spans = doc.spans.filter(s => s.end <= cps.length && s.start < s.end);
  if (target && target.end > target.start) spans.push({ start: target.start, end: target.end, layer: 'target' });
  const bounds = [];
  spans.forEach((s, i) => { bounds.push([s.start, 1, i]); bounds.push([s.end, 0, i]); });
  // At one offset, spans ending close before spans starting open.
  bounds.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = el('div', { class: 'doctext', id: 'doctext', lang: doc.language });
  const open = new Set();
  let at = 0;
  const emit = upto => {
    if (upto <= at) return;
    const text = cps.slice(at, upto).join('');
    at = upto;
    if (open.size === 0) { out.append(text); return; }
    out.append(segment(text, [...open].map(i => spans[i]), focusEntity));
  };
  for (const [pos, opening, i] of bounds) {
    emit(pos);
    if (opening) open.add(i); else open.delete(i);
  }
  emit(cps.length);
  return out;
}

// One stretch of text under the spans `over`.
function segment(text, over, focusEntity) {
  const mention = over.filter(s => s.layer === 'mention').sort((x, y) => (x.end - x.start) - (y.end - y.start))[0];
  const classes = [];
  const titles = [];
  const times = over.filter(s => s.layer === 'time');
  const claims = over.filter(s => s.layer === 'claim');
  if (times.length) { classes.push('tm'); titles.push(...times.map(s => `time: ${s.label}`)); }
  if (claims.length) { classes.push('cl'); titles.push(...claims.map(s => `claim by ${s.label}`)); }
  for (const s of over.filter(x => x.layer === 'event' || x.layer === 'relation')) titles.push(`${s.layer}: ${s.label}`);
  if (over.some(s => s.layer === 'target')) classes.push('target');
  if (mention) {
    classes.push('m', typeClass(mention.kind));
    if (focusEntity && mention.target === focusEntity) classes.push('focus');
    titles.unshift(`${mention.label} (${mention.kind})`);
    return el('a', { href: `#/entity/${enc(mention.target)}`, class: classes.join(' '), 'data-entity': mention.target, title: titles.join('\n') }, text);
  }
  return el('span', { class: classes.join(' ') || null, title: titles.join('\n') || null }, text);
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
    doc.sources.length > 1 ? el('details', {}, el('summary', {}, `Also read from ${plural(doc.sources.length - 1, 'other source')}`),
      el('ul', {}, doc.sources.filter(x => x !== doc.source).map(x => el('li', { class: 'muted' }, x)))) : null,
    target ? el('p', { class: 'notice', id: 'evidence-note' }, 'The highlighted passage is the evidence you opened. ',
      el('a', { href: '#evidence', onclick: ev => { ev.preventDefault(); focusTarget(); } }, 'Go to it')) : null,
    doc.spans_total > doc.spans.length ? el('p', { class: 'notice' }, `${doc.spans.length} of ${doc.spans_total} annotations are shown on this long document.`) : null,
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
    else if (parts[0] === 'entity' && parts[1]) await entityView(parts[1], params);
    else if (parts[0] === 'event' && parts[1]) await eventView(parts[1], params);
    else if (parts[0] === 'dispute' && parts[1]) await disputeView(parts[1]);
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
