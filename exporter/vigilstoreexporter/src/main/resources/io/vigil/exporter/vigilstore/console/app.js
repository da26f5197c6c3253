// The Vigil console: one page, views chosen by the URL's hash (#/, #/service/NAME, #/trace/ID,
// #/logs?..., #/patterns, #/incidents?..., #/incident/ID, #/chat), each drawn from the JSON API,
// and a chat panel beside any view. No build step: plain browser JS.
'use strict';

const view = document.getElementById('view');
const rangeSelect = document.getElementById('range');
const COLORS = ['#2457c5', '#d9822b', '#2e9e6a', '#9b4dca', '#c0262d', '#138d9c', '#8a6d3b'];
// Charts of the current view, by name: the browser tests read point positions from them.
window.vigilCharts = {};

rangeSelect.value = localStorage.getItem('vigil.range') || '3600000';
rangeSelect.addEventListener('change', () => {
  localStorage.setItem('vigil.range', rangeSelect.value);
  route();
});
window.addEventListener('hashchange', route);

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

function range() {
  const to = Date.now();
  return {from: to - Number(rangeSelect.value), to};
}

// A request to the API; with a token configured the server answers 401 until the page sends it.
async function request(url, init = {}) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = {...(init.headers || {})};
    const token = sessionStorage.getItem('vigil.token');
    if (token) headers.Authorization = 'Bearer ' + token;
    const r = await fetch(url, {...init, headers});
    if (r.status === 401 && attempt === 0) {
      const given = prompt('This console needs its access token');
      if (!given) break;
      sessionStorage.setItem('vigil.token', given);
      continue;
    }
    return r;
  }
  throw new Error('not authorised');
}

// GET from the API: the JSON, or null for a 404.
async function api(path, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null));
  const r = await request('/api/' + path + (q.toString() ? '?' + q : ''));
  if (r.status === 404) return null;
  if (!r.ok) throw new Error((await r.json()).error || r.statusText);
  return r.json();
}

// POST JSON to the API (an incident's state change, a chat message); errors carry the API's text.
async function apiPost(path, body) {
  const r = await request('/api/' + path, {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(answer.error || r.statusText);
  return answer;
}

// Who acts, for incident timelines (the console sends it as console:NAME).
const whoInput = document.getElementById('who');
whoInput.value = localStorage.getItem('vigil.name') || '';
whoInput.addEventListener('change', () => localStorage.setItem('vigil.name', whoInput.value.trim()));
function who() {
  return whoInput.value.trim();
}

function ms(v) {
  return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v.toFixed(v < 10 ? 2 : 1) + ' ms';
}

function time(nanos) {
  return new Date(nanos / 1e6).toISOString().replace('T', ' ').replace('Z', '');
}

function parseHash() {
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, query] = h.split('?');
  return {parts: path.split('/').filter(Boolean).map(decodeURIComponent),
          params: new URLSearchParams(query || '')};
}

async function route() {
  window.vigilCharts = {};
  const {parts, params} = parseHash();
  dockChat(parts[0] === 'chat');
  if (parts[0] === 'chat') return;
  view.innerHTML = '<p class="muted">Loading…</p>';
  try {
    if (parts[0] === 'service') await serviceView(parts[1], params);
    else if (parts[0] === 'trace') await traceView(parts[1]);
    else if (parts[0] === 'logs') await logsView(params);
    else if (parts[0] === 'patterns') await patternsView(params);
    else if (parts[0] === 'incidents') await incidentsView(params);
    else if (parts[0] === 'incident') await incidentView(parts[1]);
    else await overview();
  } catch (e) {
    view.innerHTML = '<p class="error">' + esc(e.message) + '</p>';
  }
}

async function overview() {
  const services = await api('services', range());
  document.title = 'Services · Vigil';
  view.innerHTML = '<h1>Services</h1>' + (services.length === 0
    ? '<p class="muted">No requests in this range.</p>'
    : '<table id="services"><thead><tr><th>service</th><th class="num">requests/s</th>'
      + '<th class="num">error rate</th><th class="num">p50</th><th class="num">p95</th>'
      + '<th class="num">p99</th><th class="num">requests</th></tr></thead><tbody>'
      + services.map(s => '<tr data-service="' + esc(s.service) + '">'
        + '<td><a href="#/service/' + encodeURIComponent(s.service) + '">' + esc(s.service) + '</a></td>'
        + '<td class="num">' + s.ratePerSecond.toFixed(3) + '</td>'
        + '<td class="num' + (s.errors ? ' error' : '') + '">' + (100 * s.errorRate).toFixed(1) + ' %</td>'
        + '<td class="num">' + ms(s.p50Ms) + '</td><td class="num">' + ms(s.p95Ms) + '</td>'
        + '<td class="num">' + ms(s.p99Ms) + '</td><td class="num">' + s.requests + '</td></tr>').join('')
      + '</tbody></table>');
}

async function serviceView(name, params) {
  const r = range();
  const [series, metrics, incidents] = await Promise.all([
    api('services/' + encodeURIComponent(name) + '/series', {...r, buckets: 60}),
    api('services/' + encodeURIComponent(name) + '/metrics', r),
    serviceIncidents(name, r)]);
  document.title = name + ' · Vigil';
  view.innerHTML = '<h1>' + esc(name) + '</h1>'
    + '<p><a href="#/logs?service=' + encodeURIComponent(name) + '">Logs of ' + esc(name) + '</a> · '
    + '<a href="#/patterns?service=' + encodeURIComponent(name) + '">Patterns</a></p>'
    + '<div class="charts"><div class="chart" id="chart-latency"></div>'
    + '<div class="chart" id="chart-requests"></div></div>'
    + '<p class="muted">Click a latency point to open the slowest request of that moment.'
    + (incidents.length ? ' Shaded: incidents of this service, from opening to their last evidence.' : '') + '</p>'
    + (incidents.length ? '<p id="service-incidents">Incidents: ' + incidents.map(i => '<a href="#/incident/'
      + encodeURIComponent(i.id) + '">' + esc(i.id) + '</a> ' + badge('state-' + i.state, i.state) + ' '
      + esc(i.title)).join(' · ') + '</p>' : '')
    + '<div id="metrics-section"></div>';
  const b = series.buckets;
  const xs = b.map(x => x.startNanos / 1e9);
  const nil = (x, v) => x.requests ? v : null;
  // Inside the padded chart box, so the page never scrolls sideways.
  const width = Math.max(400, view.clientWidth - 72);
  const latency = new uPlot({
    title: 'Latency (ms)', width, height: 260,
    series: [{}, {label: 'p50', stroke: COLORS[0], points: {show: true}},
             {label: 'p95', stroke: COLORS[1], points: {show: true}},
             {label: 'p99', stroke: COLORS[4], points: {show: true}}],
    axes: [{}, {label: 'ms'}],
    plugins: [incidentMarks(incidents)],
  }, [xs, b.map(x => nil(x, x.p50Ms)), b.map(x => nil(x, x.p95Ms)), b.map(x => nil(x, x.p99Ms))],
  document.getElementById('chart-latency'));
  latency.exemplars = b.map(x => x.exemplarTraceId);
  latency.incidents = incidents.map(i => i.id);
  // uPlot keeps the bucket under the cursor in cursor.idx; a click there opens its exemplar.
  latency.over.addEventListener('click', () => {
    const i = latency.cursor.idx;
    if (i != null && latency.exemplars[i]) location.hash = '#/trace/' + latency.exemplars[i];
  });
  const requests = new uPlot({
    title: 'Requests and errors per bucket', width, height: 200,
    series: [{}, {label: 'requests', stroke: COLORS[0], fill: 'rgba(36,87,197,0.1)'},
             {label: 'errors', stroke: COLORS[4], fill: 'rgba(192,38,45,0.15)'}],
    plugins: [incidentMarks(incidents)],
  }, [xs, b.map(x => x.requests), b.map(x => x.errors)], document.getElementById('chart-requests'));
  window.vigilCharts = {latency, requests};
  await metricCharts(name, metrics, params.get('metric'), r, width);
}

// 1.2G, 350M, 12k: metric values span many magnitudes (bytes, ratios, counts).
function short(v) {
  const a = Math.abs(v);
  return a >= 1e9 ? +(v / 1e9).toFixed(2) + 'G' : a >= 1e6 ? +(v / 1e6).toFixed(2) + 'M'
    : a >= 1e3 ? +(v / 1e3).toFixed(2) + 'k' : +v.toFixed(3) + '';
}

// The service's incidents that overlap the range; none when incidents are not configured or
// their API does not answer (the charts matter more than the marks).
async function serviceIncidents(name, r) {
  try {
    const l = await api('incidents', {service: name, limit: 50});
    return (l.incidents || []).map(i => ({...i, end: Date.parse(i.last_evidence_at) / 1000,
      start: Math.min(Date.parse(i.opened_at), Date.parse(i.last_evidence_at)) / 1000}))
      .filter(i => i.end * 1000 >= r.from && i.start * 1000 <= r.to);
  } catch (e) {
    return [];
  }
}

// A uPlot plugin shading each incident from its opening to its last evidence, with its ID.
function incidentMarks(incidents) {
  return {hooks: {draw: [u => {
    const ctx = u.ctx;
    ctx.save();
    incidents.forEach(i => {
      const x0 = u.valToPos(i.start, 'x', true), x1 = u.valToPos(i.end, 'x', true);
      ctx.fillStyle = 'rgba(192,38,45,0.12)';
      ctx.fillRect(x0 - 2, u.bbox.top, Math.max(4, x1 - x0 + 4), u.bbox.height);
      ctx.fillStyle = '#c0262d';
      ctx.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
      ctx.fillText(i.id, x0 + 4, u.bbox.top + 12 * devicePixelRatio);
    });
    ctx.restore();
  }]}};
}

// Metrics worth a first look, when the service sends them and the URL names none.
const FIRST_METRICS = ['jvm.memory.used', 'jvm.cpu.recent_utilization', 'process.cpu.utilization',
  'http.server.request.duration'];

// The service's own metrics from the store: one chosen metric, a line per attribute set, and
// below it the anomaly connector's scores of those lines when the store has them.
async function metricCharts(name, metrics, chosen, r, width) {
  const section = document.getElementById('metrics-section');
  if (!metrics.length) {
    section.innerHTML = '<h2>Metrics</h2><p class="muted">No metric points of ' + esc(name)
      + ' in this range (is vigilstore in the metrics pipeline?).</p>';
    return;
  }
  const names = metrics.map(m => m.name);
  const metric = names.includes(chosen) ? chosen
    : FIRST_METRICS.find(m => names.includes(m)) || names[0];
  section.innerHTML = '<h2>Metrics</h2><p><select id="metric-select">' + metrics.map(m =>
      '<option value="' + esc(m.name) + '"' + (m.name === metric ? ' selected' : '') + '>'
      + esc(m.name) + ' (' + m.series + ' series' + (m.scored ? ', scored' : '')
      + ')</option>').join('') + '</select></p>'
    + '<div class="charts"><div class="chart" id="chart-metric"></div>'
    + '<div class="chart" id="chart-scores"></div></div>';
  document.getElementById('metric-select').addEventListener('change', e => {
    location.hash = '#/service/' + encodeURIComponent(name) + '?metric=' + encodeURIComponent(e.target.value);
  });
  const c = await api('services/' + encodeURIComponent(name) + '/metrics/' + encodeURIComponent(metric),
    {...r, buckets: 60, lines: 8});
  const xs = c.bucketStarts.map(t => t / 1e9);
  const label = l => l.series || metric;
  window.vigilCharts.metric = new uPlot({
    title: metric + (c.linesOmitted ? ' (' + c.linesOmitted + ' more series not drawn)' : ''),
    width, height: 240,
    axes: [{}, {size: 64, values: (u, vals) => vals.map(short)}],
    series: [{}, ...c.lines.map((l, i) => ({label: label(l), stroke: COLORS[i % COLORS.length],
      points: {show: true}}))],
  }, [xs, ...c.lines.map(l => l.values)], document.getElementById('chart-metric'));
  const scored = c.lines.filter(l => l.scores.length);
  if (!scored.length) {
    document.getElementById('chart-scores').outerHTML = '<p class="muted" id="no-scores">No anomaly'
      + ' scores of ' + esc(metric) + ' in the store (the anomaly connector\'s score metric goes to'
      + ' vigilstore through a metrics pipeline).</p>';
    return;
  }
  window.vigilCharts.scores = new uPlot({
    title: 'Anomaly score of ' + metric + ' (highest per bucket, 0 to 1)', width, height: 180,
    scales: {y: {range: [0, 1]}},
    series: [{}, ...scored.map(l => ({label: label(l),
      stroke: COLORS[c.lines.indexOf(l) % COLORS.length], dash: [6, 4]}))],
  }, [xs, ...scored.map(l => l.scores)], document.getElementById('chart-scores'));
}

async function traceView(id) {
  const t = await api('traces/' + encodeURIComponent(id));
  document.title = 'Trace ' + id + ' · Vigil';
  if (!t) {
    view.innerHTML = '<h1>Trace ' + esc(id) + '</h1><p class="muted">Not in the store.</p>';
    return;
  }
  const spans = t.spans;
  const start = Math.min(...spans.map(s => s.startNanos));
  const end = Math.max(...spans.map(s => s.endNanos));
  const total = Math.max(1, end - start);
  const byId = new Map(spans.map(s => [s.spanId, s]));
  const depth = s => {
    let d = 0;
    for (let p = byId.get(s.parentSpanId); p && d < 50; p = byId.get(p.parentSpanId)) d++;
    return d;
  };
  // Depth-first by start time, so children sit under their parents.
  const children = new Map();
  spans.forEach(s => {
    const key = byId.has(s.parentSpanId) ? s.parentSpanId : '';
    (children.get(key) || children.set(key, []).get(key)).push(s);
  });
  const ordered = [];
  const visit = (key, guard) => (children.get(key) || [])
    .sort((a, b) => a.startNanos - b.startNanos)
    .forEach(s => { if (guard < 10000) { ordered.push(s); visit(s.spanId, guard + 1); } });
  visit('', 0);
  const services = [...new Set(spans.map(s => s.service))];
  const color = s => COLORS[services.indexOf(s) % COLORS.length];
  const rows = ordered.map((s, i) => {
    const left = 100 * (s.startNanos - start) / total;
    const w = 100 * (s.endNanos - s.startNanos) / total;
    return '<div class="row span-row" data-span="' + esc(s.spanId) + '" data-i="' + i + '">'
      + '<div class="name" style="padding-left:' + (6 + 14 * depth(s)) + 'px">'
      + '<span style="color:' + color(s.service) + '">' + esc(s.service) + '</span> ' + esc(s.name)
      + (s.status === 'error' ? ' <span class="error">✖</span>' : '') + '</div>'
      + '<div class="track"><div class="bar' + (s.status === 'error' ? ' failed' : '')
      + '" style="left:' + left + '%;width:' + w + '%;background:' + color(s.service) + '"></div></div>'
      + '<div class="dur">' + ms((s.endNanos - s.startNanos) / 1e6) + '</div></div>'
      + '<div class="attributes" id="attrs-' + i + '" hidden>' + esc(JSON.stringify({
        spanId: s.spanId, kind: s.kind, status: s.status, statusMessage: s.statusMessage,
        attributes: s.attributes, events: s.events}, null, 2)) + '</div>';
  }).join('');
  view.innerHTML = '<h1>Trace <code>' + esc(t.traceId) + '</code></h1>'
    + '<p class="muted">' + spans.length + ' spans across ' + services.length + ' services, '
    + ms(total / 1e6) + ', started ' + time(start) + '</p>'
    + '<div class="waterfall" id="waterfall">' + rows + '</div>'
    + '<h2>Logs of this trace</h2>' + logTable(t.logs, false, 'trace-logs');
  view.querySelectorAll('.span-row').forEach(r => r.addEventListener('click', () => {
    const a = document.getElementById('attrs-' + r.dataset.i);
    a.hidden = !a.hidden;
  }));
}

function logTable(logs, linkTraces, id) {
  if (!logs.length) return '<p class="muted">No log records.</p>';
  return '<table id="' + id + '"><tbody>' + logs.map(l => '<tr class="log-line">'
    + '<td class="muted">' + esc(time(l.timeNanos)) + '</td>'
    + '<td class="sev sev-' + esc(l.severityText) + '">' + esc(l.severityText) + '</td>'
    + '<td>' + esc(l.service) + '</td><td class="body">' + esc(l.body) + '</td>'
    + '<td>' + (linkTraces && l.traceId
      ? '<a class="trace-link" href="#/trace/' + esc(l.traceId) + '">trace</a>' : '') + '</td></tr>').join('')
    + '</tbody></table>';
}

async function logsView(params) {
  const r = range();
  const q = {service: params.get('service') || '', severity: params.get('severity') || '',
             q: params.get('q') || '', trace_id: params.get('trace_id') || '',
             template_id: params.get('template_id') || ''};
  const logs = await api('logs', {...r, ...q, limit: 200});
  document.title = 'Logs · Vigil';
  view.innerHTML = '<h1>Logs</h1><form class="search" id="log-search">'
    + '<input name="q" placeholder="words in the message" value="' + esc(q.q) + '">'
    + '<input name="service" placeholder="service" value="' + esc(q.service) + '">'
    + '<select name="severity">' + ['', 'info', 'warn', 'error'].map(s => '<option value="' + s + '"'
      + (s === q.severity ? ' selected' : '') + '>' + (s ? s + ' and above' : 'any severity') + '</option>').join('')
    + '</select><input name="trace_id" placeholder="trace ID" value="' + esc(q.trace_id) + '">'
    + '<input name="template_id" placeholder="template ID" value="' + esc(q.template_id) + '">'
    + '<button>Search</button></form>'
    + '<p class="muted">' + logs.length + ' records, newest first</p>' + logTable(logs, true, 'logs');
  document.getElementById('log-search').addEventListener('submit', e => {
    e.preventDefault();
    const f = new URLSearchParams(new FormData(e.target));
    [...f.keys()].filter(k => !f.get(k)).forEach(k => f.delete(k));
    location.hash = '#/logs?' + f;
  });
}

function sparkline(values) {
  const max = Math.max(1, ...values);
  const w = 120, h = 24, step = w / Math.max(1, values.length - 1);
  const pts = values.map((v, i) => (i * step).toFixed(1) + ',' + (h - 2 - (h - 4) * v / max).toFixed(1));
  return '<svg class="spark" width="' + w + '" height="' + h + '"><polyline fill="none" stroke="#2457c5" '
    + 'stroke-width="1.5" points="' + pts.join(' ') + '"/></svg>';
}

async function patternsView(params) {
  const service = params.get('service') || '';
  const patterns = await api('patterns', {...range(), service, buckets: 30, limit: 200});
  document.title = 'Patterns · Vigil';
  view.innerHTML = '<h1>Log patterns' + (service ? ' of ' + esc(service) : '') + '</h1>'
    + (patterns.length === 0 ? '<p class="muted">No templated log records in this range (is'
      + ' the logtemplate processor in the logs pipeline?).</p>'
      : '<table id="patterns"><thead><tr><th class="num">count</th><th>over time</th><th>service</th>'
        + '<th>template</th></tr></thead><tbody>' + patterns.map(p => '<tr data-template="'
        + esc(p.templateId) + '"><td class="num">' + p.count + '</td><td>' + sparkline(p.sparkline)
        + '</td><td>' + esc(p.service) + '</td><td><a class="template-link" href="#/logs?template_id='
        + encodeURIComponent(p.templateId) + '">' + esc(p.template || p.sample) + '</a></td></tr>').join('')
        + '</tbody></table>');
}

const STATES = ['', 'open', 'acknowledged', 'reopened', 'resolved'];

function isoTime(s) {
  return s ? esc(String(s).replace('T', ' ').replace(/\.\d+/, '').replace('Z', '')) : '';
}

function badge(cls, text) {
  return '<span class="badge ' + esc(cls) + '">' + esc(text) + '</span>';
}

// Incidents come from the incidents exporter's API, which the console's API reads for us.
async function incidentsView(params) {
  const q = {state: params.get('state') || '', service: params.get('service') || ''};
  const r = await api('incidents', {...q, limit: 200});
  document.title = 'Incidents · Vigil';
  if (!r.configured) {
    view.innerHTML = '<h1>Incidents</h1><p class="muted" id="incidents-off">' + esc(r.hint) + '.</p>';
    return;
  }
  view.innerHTML = '<h1>Incidents</h1><form class="search" id="incident-filter">'
    + '<select name="state">' + STATES.map(s => '<option value="' + s + '"' + (s === q.state ? ' selected' : '')
      + '>' + (s || 'any state') + '</option>').join('') + '</select>'
    + '<input name="service" placeholder="service" value="' + esc(q.service) + '">'
    + '<button>Filter</button></form>'
    + (r.incidents.length === 0 ? '<p class="muted">No incidents.</p>'
      : '<table id="incidents"><thead><tr><th>incident</th><th>state</th><th>severity</th>'
        + '<th>title</th><th>origin</th><th>services</th><th>cause</th><th class="num">evidence</th>'
        + '<th>opened</th><th>last evidence</th></tr></thead><tbody>'
        + r.incidents.map(i => '<tr data-incident="' + esc(i.id) + '">'
          + '<td><a href="#/incident/' + encodeURIComponent(i.id) + '">' + esc(i.id) + '</a></td>'
          + '<td>' + badge('state-' + i.state, i.state) + '</td>'
          + '<td>' + badge('sev-' + i.severity, i.severity) + '</td>'
          + '<td>' + esc(i.title) + '</td><td>' + esc(i.origin) + '</td>'
          + '<td>' + esc((i.services || []).join(', ')) + '</td>'
          + '<td>' + esc(i.classification ? i.classification.label : '') + '</td>'
          + '<td class="num">' + i.evidence_count + '</td>'
          + '<td class="muted">' + isoTime(i.opened_at) + '</td>'
          + '<td class="muted">' + isoTime(i.last_evidence_at) + '</td></tr>').join('')
        + '</tbody></table>');
  document.getElementById('incident-filter').addEventListener('submit', e => {
    e.preventDefault();
    const f = new URLSearchParams(new FormData(e.target));
    [...f.keys()].filter(k => !f.get(k)).forEach(k => f.delete(k));
    location.hash = '#/incidents' + (f.toString() ? '?' + f : '');
  });
}

async function incidentView(id) {
  const i = await api('incidents/' + encodeURIComponent(id));
  document.title = 'Incident ' + id + ' · Vigil';
  if (!i) {
    view.innerHTML = '<h1>Incident ' + esc(id) + '</h1><p class="muted">Unknown to the incidents API.</p>';
    return;
  }
  const [similar, categories] = await Promise.all([
    api('incidents/' + encodeURIComponent(id) + '/similar', {k: 5}),
    api('categories').catch(() => null)]);
  const ev = i.evidence || {records: [], series: [], templates: [], trace_ids: []};
  const c = i.classification || {label: 'unclassified', confidence: 0};
  // State changes and the automated response's audit entries (action "response") apart.
  const changes = (i.timeline || []).filter(t => t.action !== 'response');
  const responses = (i.timeline || []).filter(t => t.action === 'response');
  const traceLink = t => '<a class="trace-link" href="#/trace/' + encodeURIComponent(t) + '"><code>'
    + esc(t) + '</code></a>';
  view.innerHTML = '<h1>' + esc(i.id) + ' · ' + esc(i.title) + '</h1>'
    + '<p id="incident-summary">' + badge('state-' + i.state, i.state) + ' '
    + badge('sev-' + i.severity, i.severity) + ' origin <b>' + esc(i.origin) + '</b>'
    + ' <span class="muted">(' + esc(i.origin_rule) + ')</span> · services '
    + (i.services || []).map(s => '<a href="#/service/' + encodeURIComponent(s) + '">' + esc(s) + '</a>').join(', ')
    + ' · started ' + isoTime(i.started_at || i.opened_at) + ' · opened ' + isoTime(i.opened_at)
    + ' · last evidence ' + isoTime(i.last_evidence_at) + '</p>'
    + '<p id="incident-cause">Probable cause: <b>' + esc(c.label) + '</b>'
    + (c.label !== 'unclassified' ? ' <span class="muted">(confidence ' + Number(c.confidence).toFixed(2) + ')</span>' : '')
    + (i.resolution ? ' · resolved as <b>' + esc(i.resolution.category) + '</b>: ' + esc(i.resolution.note) : '') + '</p>'
    + '<div id="incident-actions" class="actions">' + incidentActions(i, categories) + '</div>'
    + '<p class="error" id="incident-action-error" hidden></p>'
    + '<h2>Timeline</h2><table id="incident-timeline"><tbody>' + changes.map(t => '<tr>'
      + '<td class="muted">' + isoTime(t.at) + '</td><td>' + esc(t.actor) + '</td><td>' + esc(t.action) + '</td>'
      + '<td>' + badge('state-' + t.state, t.state) + '</td><td>' + esc(t.note || '') + '</td></tr>').join('')
    + '</tbody></table>'
    + '<h2>Actions taken</h2>' + (responses.length ? '<table id="incident-responses"><tbody>'
      + responses.map(t => '<tr class="response"><td class="muted nowrap">' + isoTime(t.at) + '</td>'
        + '<td>' + esc(t.actor) + '</td><td>' + badge('act-' + actionOutcome(t.note), actionOutcome(t.note)) + '</td>'
        + '<td>' + esc(t.note || '') + '</td></tr>').join('') + '</tbody></table>'
        + (responses.some(t => actionOutcome(t.note) === 'waiting') ? '<p class="muted">An action that awaits'
          + ' approval runs on <code>approve ' + esc(i.id.replace(/^inc-/, '')) + ' N</code> in the chat panel.</p>' : '')
      : '<p class="muted" id="incident-responses-none">No automated response (the incidents exporter\'s'
        + ' response rules) acted on this incident.</p>')
    + '<h2>Evidence</h2><table id="incident-evidence"><thead><tr><th>window</th><th>kind</th><th>service</th>'
    + '<th>what</th><th class="num">score</th><th>traces</th></tr></thead><tbody>'
    + ev.records.map(r => '<tr class="evidence">'
      + '<td class="muted">' + isoTime(r.window_start) + ' – ' + isoTime(r.window_end) + '</td>'
      + '<td>' + esc(r.kind) + (r.held ? ' <span class="muted held" title="held as a weak signal until this'
        + ' incident opened: context, it does not date the incident">held</span>' : '') + '</td><td>' + esc(r.service) + '</td>'
      + '<td>' + esc(r.body) + (r.template_id ? ' <a class="template-link" href="#/logs?template_id='
        + encodeURIComponent(r.template_id) + '">lines</a>' : '') + '</td>'
      + '<td class="num">' + (r.score != null ? Number(r.score).toFixed(3) : '') + '</td>'
      + '<td>' + (r.trace_ids || []).slice(0, 3).map(traceLink).join(' ') + '</td></tr>').join('')
    + '</tbody></table>'
    + (ev.templates.length ? '<h2>Log templates</h2><table id="incident-templates"><tbody>'
      + ev.templates.map(t => '<tr><td>' + esc(t.service) + '</td><td><a href="#/logs?template_id='
        + encodeURIComponent(t.template_id) + '">' + esc(t.template) + '</a><br><span class="muted">'
        + (t.samples || []).map(esc).join('<br>') + '</span></td><td>' + esc((t.kinds || []).join(', ')) + '</td></tr>').join('')
      + '</tbody></table>' : '')
    + (ev.series.length ? '<h2>Metric series</h2><table id="incident-series"><tbody>'
      + ev.series.map(x => '<tr><td>' + esc(x.service) + '</td><td>' + esc(x.series) + '</td>'
        + '<td class="num">max score ' + Number(x.max_score || 0).toFixed(3) + '</td>'
        + '<td class="num">' + x.count + ' points</td></tr>').join('') + '</tbody></table>' : '')
    + (ev.trace_ids.length ? '<h2>Example traces</h2><p id="incident-traces">'
      + ev.trace_ids.slice(0, 10).map(traceLink).join(' ') + '</p>' : '')
    + ((i.links || []).length ? '<h2>Links</h2><p>' + i.links.map(l => '<a href="' + esc(l.url)
      + '" rel="noreferrer" target="_blank">' + esc(l.name) + (l.trace_id ? ' ' + esc(l.trace_id.slice(0, 8)) : '')
      + '</a>').join(' · ') + '</p>' : '')
    + '<h2>Similar incidents and what was done</h2>'
    + (similar && similar.similar.length ? '<table id="incident-similar"><tbody>'
      + similar.similar.map(x => '<tr><td class="nowrap"><a href="#/incident/' + encodeURIComponent(x.id) + '">' + esc(x.id)
        + '</a></td><td class="num">' + Number(x.similarity).toFixed(2) + '</td><td>' + esc(x.title) + '</td><td>'
        + (x.resolution ? '<b>' + esc(x.resolution.category) + '</b>: ' + esc(x.resolution.note) : '<span class="muted">not resolved</span>')
        + '</td></tr>').join('') + '</tbody></table>'
      : '<p class="muted" id="incident-similar-none">None found (the incidents exporter\'s recommender).</p>');
  wireIncidentActions(i);
}

// What the automated response's audit entry says happened.
function actionOutcome(note) {
  const n = String(note || '');
  if (/dry run/.test(n)) return 'dry-run';
  if (/awaits approval/.test(n)) return 'waiting';
  if (/failed|refused/.test(n)) return 'failed';
  if (/throttled|not run/.test(n)) return 'skipped';
  if (/succeeded|approved/.test(n)) return 'succeeded';
  return 'recorded';
}

// The changes the incident's state allows, as the incidents API's lifecycle defines them:
// acknowledge from open or reopened, resolve from any active state, reopen from resolved.
function incidentActions(i, categories) {
  const active = i.state !== 'resolved';
  const names = (categories && categories.categories || []).map(x => x.name);
  const cause = i.classification && i.classification.label;
  if (cause && cause !== 'unclassified' && !names.includes(cause)) names.unshift(cause);
  let h = '';
  if (i.state === 'open' || i.state === 'reopened') {
    h += '<form id="ack-form"><input name="note" placeholder="note (optional)">'
      + '<button id="ack-button">Acknowledge</button></form>';
  }
  if (active) {
    h += '<form id="resolve-form"><select name="category" id="resolve-category">'
      + names.map(n => '<option value="' + esc(n) + '">' + esc(n) + '</option>').join('')
      + '<option value="">other (type it)</option></select>'
      + '<input name="new_category" id="resolve-new-category" placeholder="category"'
      + (names.length ? ' hidden' : '') + '>'
      + '<input name="note" id="resolve-note" placeholder="what fixed it (required)" size="36">'
      + '<button id="resolve-button">Resolve</button></form>';
  } else {
    h += '<form id="reopen-form"><input name="note" placeholder="why (optional)">'
      + '<button id="reopen-button">Reopen</button></form>';
  }
  return h + '<span class="muted">as console:' + esc(who() || 'anonymous') + '</span>';
}

function wireIncidentActions(i) {
  const act = (form, action, fields) => form && form.addEventListener('submit', async e => {
    e.preventDefault();
    const error = document.getElementById('incident-action-error');
    try {
      await apiPost('incidents/' + encodeURIComponent(i.id) + '/' + action, {by: who(), ...fields(form)});
      await incidentView(i.id);
    } catch (err) {
      error.hidden = false;
      error.textContent = 'Could not ' + action + ' ' + i.id + ': ' + err.message;
    }
  });
  act(document.getElementById('ack-form'), 'acknowledge', f => ({note: f.note.value}));
  act(document.getElementById('reopen-form'), 'reopen', f => ({note: f.note.value}));
  const resolve = document.getElementById('resolve-form');
  act(resolve, 'resolve', f => ({category: f.category.value || f.new_category.value.trim(),
    note: f.note.value}));
  if (resolve) resolve.category.addEventListener('change', () => {
    resolve.new_category.hidden = resolve.category.value !== '';
  });
}

// The chat: a panel beside every view, or the whole page at #/chat (the same element, moved,
// so the conversation and what is typed stay). Messages go to the incidents exporter's chat
// through the console's API; only exact commands change anything there.
const chat = document.getElementById('chat');
const chatPanel = document.getElementById('chat-panel');
const chatLog = document.getElementById('chat-log');
const chatInput = document.getElementById('chat-input');
let knownServices = [];

function dockChat(onPage) {
  if (onPage) {
    document.title = 'Chat · Vigil';
    view.innerHTML = '<h1>Chat</h1>';
    view.appendChild(chat);
    chatPanel.hidden = true;
    refreshKnownServices();
    chatInput.focus();
  } else if (chat.parentElement !== chatPanel) {
    chatPanel.appendChild(chat);
  }
}

document.getElementById('chat-toggle').addEventListener('click', () => {
  if (parseHash().parts[0] === 'chat') return;
  chatPanel.hidden = !chatPanel.hidden;
  sessionStorage.setItem('vigil.chat.open', chatPanel.hidden ? '' : '1');
  if (!chatPanel.hidden) {
    refreshKnownServices();
    chatInput.focus();
  }
});
document.getElementById('chat-close').addEventListener('click', () => {
  chatPanel.hidden = true;
  sessionStorage.setItem('vigil.chat.open', '');
});

// Service names to link in answers: those with requests in the range and those of incidents.
async function refreshKnownServices() {
  const names = new Set();
  try {
    (await api('services', range()) || []).forEach(s => names.add(s.service));
    const l = await api('incidents', {limit: 200});
    ((l && l.incidents) || []).forEach(i => (i.services || []).forEach(s => names.add(s)));
  } catch (e) {
    // Links to services are a convenience; the answer is shown without them.
  }
  knownServices = [...names].sort((a, b) => b.length - a.length);
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// An answer (Slack-style markdown) as HTML: incident IDs, trace IDs and known services become
// links to their views, in one pass so no link lands inside another; then code, bold, italics.
function chatHtml(text) {
  const services = knownServices.map(escapeRegExp);
  const re = new RegExp('\\b(inc-\\d+)\\b|\\b([0-9a-f]{32})\\b'
    + (services.length ? '|(?<![\\w./-])(' + services.join('|') + ')(?![\\w/-])' : ''), 'g');
  const link = (href, t) => '<a class="chat-link" href="' + href + '">' + t + '</a>';
  return esc(text)
    .replace(re, (m, inc, trace, svc) => inc ? link('#/incident/' + inc, inc)
      : trace ? link('#/trace/' + trace, trace) : link('#/service/' + encodeURIComponent(svc), svc))
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1<i>$2</i>')
    .replace(/\n/g, '<br>');
}

function chatMessages() {
  try {
    return JSON.parse(sessionStorage.getItem('vigil.chat') || '[]');
  } catch (e) {
    return [];
  }
}

function drawChat() {
  chatLog.innerHTML = chatMessages().map(m => m.from === 'me'
    ? '<div class="chat-msg me">' + esc(m.text) + '</div>'
    : '<div class="chat-msg vigil' + (m.error ? ' error' : '') + '">' + chatHtml(m.text)
      + (m.intent ? '<div class="meta">' + esc(m.intent) + (m.ran ? '' : ' · nothing changed') + '</div>' : '')
      + '</div>').join('');
  chatLog.scrollTop = chatLog.scrollHeight;
}

function addChat(m) {
  const all = chatMessages();
  all.push(m);
  // The last 100 messages, so the session's storage stays small.
  sessionStorage.setItem('vigil.chat', JSON.stringify(all.slice(-100)));
  drawChat();
}

document.getElementById('chat-form').addEventListener('submit', async e => {
  e.preventDefault();
  const text = chatInput.value.trim();
  if (!text) return;
  chatInput.value = '';
  addChat({from: 'me', text});
  try {
    if (!knownServices.length) await refreshKnownServices();
    const answer = await apiPost('chat/messages', {text, by: who()});
    addChat({from: 'vigil', text: answer.text, intent: answer.intent, ran: answer.ran});
    // An exact command may have changed the incident on screen: draw it again.
    if (answer.ran && parseHash().parts[0] === 'incident') route();
  } catch (err) {
    addChat({from: 'vigil', text: 'The chat did not answer: ' + err.message, error: true});
  }
});

chatPanel.hidden = !sessionStorage.getItem('vigil.chat.open');
drawChat();

route();
