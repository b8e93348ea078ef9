import { BLOCKED_CALL, DEMO_CALLS } from './calls.js';

/** JSON for inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The page's look: a table of calls, the console messages in red, the diagrams in monospace. */
const STYLE = `  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }
  .ok { color: #176f2c; } .bad { color: #b3261e; }
  code { background: #f4f4f4; padding: 0 .2rem; }
  .console { background: #fdf3f2; border-left: 3px solid #b3261e; font: 13px/1.4 ui-monospace, monospace; padding: .4rem .6rem; white-space: pre-wrap; }
  svg text { font: 12px ui-monospace, monospace; }`;

/**
 * The browser side of the calls: runCall makes one with fetch() and says what the page saw;
 * runAll makes every call of CALLS, then BLOCKED, then shows the diagnosis.
 */
const CALLS_SCRIPT = `document.getElementById('origin').textContent = location.origin;
async function runCall(call) {
  try {
    const response = await fetch(API + call.path, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      credentials: call.credentials ? 'include' : 'same-origin',
    });
    const text = await response.text();
    let shown = response.status + ' ' + text.slice(0, 120);
    if (call.readHeader) shown += ' | ' + call.readHeader + ': ' + response.headers.get(call.readHeader);
    const ok = response.status === call.expectedStatus && (!call.readHeader || response.headers.get(call.readHeader) !== null);
    return { ok, shown };
  } catch (error) {
    return { ok: false, shown: 'blocked by the browser: ' + error.message + ' (see the console)' };
  }
}
async function runAll() {
  const body = document.getElementById('results');
  body.textContent = '';
  const results = [];
  for (const call of CALLS) {
    const result = await runCall(call);
    results.push({ name: call.name, ...result });
    const row = body.insertRow();
    row.insertCell().textContent = call.method + ' ' + call.path + ' (' + call.name + ')';
    const cell = row.insertCell();
    cell.textContent = (result.ok ? '✔ ' : '✘ ') + result.shown;
    cell.className = result.ok ? 'ok' : 'bad';
    row.insertCell().textContent = call.shows;
  }
  const blocked = await runCall(BLOCKED);
  window.demoBlocked = blocked;
  document.getElementById('blocked-result').textContent =
    BLOCKED.method + ' ' + BLOCKED.path + ': ' + (blocked.ok ? 'the browser let it through (unexpected)' : blocked.shown) + '. Expected: ' + BLOCKED.shows + '.';
  window.demoResults = results;
  await showDiagnosis();
  document.title = 'corsguard demo: done';
}`;

/** Draws one sequence of /diagnosis.json as an SVG sequence diagram (and the DOM helpers it uses). */
const SEQUENCE_SCRIPT = `function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, String(value));
  if (text !== undefined) e.textContent = text;
  return e;
}
/** A sequence diagram: the page and the API as lanes, each request and answer as an arrow. */
function drawSequence(sequence) {
  const rowHeight = 44;
  const height = 50 + sequence.steps.length * 2 * rowHeight + (sequence.stopped ? rowHeight : 0);
  const drawing = svg('svg', { width: 760, height, role: 'img', 'aria-label': sequence.title });
  const defs = svg('defs', {});
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
  defs.appendChild(marker);
  drawing.appendChild(defs);
  const left = 60, right = 700;
  drawing.appendChild(svg('text', { x: left - 20, y: 16 }, 'page'));
  drawing.appendChild(svg('text', { x: right - 10, y: 16 }, 'API'));
  drawing.appendChild(svg('line', { x1: left, y1: 24, x2: left, y2: height, stroke: '#999', 'stroke-dasharray': '4 3' }));
  drawing.appendChild(svg('line', { x1: right, y1: 24, x2: right, y2: height, stroke: '#999', 'stroke-dasharray': '4 3' }));
  let y = 50;
  for (const step of sequence.steps) {
    drawing.appendChild(svg('line', { x1: left, y1: y, x2: right, y2: y, stroke: '#333', 'marker-end': 'url(#arrow)' }));
    drawing.appendChild(svg('text', { x: left + 10, y: y - 6 }, step.request + (step.step === 'preflight' ? '  (preflight)' : '')));
    y += rowHeight;
    const colour = step.status >= 200 && step.status <= 299 ? '#176f2c' : '#b3261e';
    drawing.appendChild(svg('line', { x1: right, y1: y, x2: left, y2: y, stroke: colour, 'marker-end': 'url(#arrow)' }));
    drawing.appendChild(svg('text', { x: left + 10, y: y - 6, fill: colour }, step.status + '  ' + step.note));
    y += rowHeight;
  }
  if (sequence.stopped) {
    drawing.appendChild(svg('text', { x: left + 10, y: y - 10, fill: '#b3261e' }, '✘ the browser stops here: the request itself is never sent'));
  }
  const figure = element('figure');
  figure.appendChild(element('figcaption', (sequence.allowed ? '✔ ' : '✘ ') + sequence.title, sequence.allowed ? 'ok' : 'bad'));
  figure.appendChild(drawing);
  if (sequence.stopped) figure.appendChild(element('p', 'Why: ' + sequence.stopped, 'bad'));
  return figure;
}`;

/** Fetches /diagnosis.json and shows the console messages, explain's answers and the diagrams. */
const DIAGNOSIS_SCRIPT = `async function showDiagnosis() {
  const diagnosis = await (await fetch('/diagnosis.json')).json();
  window.demoDiagnosis = diagnosis;
  const messages = document.getElementById('console-messages');
  messages.textContent = '';
  for (const [engine, text] of Object.entries(diagnosis.consoleMessages)) {
    messages.appendChild(element('h4', engine));
    messages.appendChild(element('div', text, 'console'));
  }
  const explain = document.getElementById('explain');
  explain.textContent = '';
  for (const [engine, answer] of Object.entries(diagnosis.explanations)) {
    const block = element('div');
    block.appendChild(element('h4', 'corsguard explain, given the ' + engine + ' message'));
    block.appendChild(element('p', 'engine: ' + answer.engine + '; failed step: ' + answer.step));
    const list = element('ul');
    for (const problem of answer.problems) list.appendChild(element('li', problem.id + ': ' + problem.cause + '. Fix: ' + problem.fix));
    block.appendChild(list);
    block.appendChild(element('p', 'Confirm with: ' + answer.check));
    explain.appendChild(block);
  }
  const sequences = document.getElementById('sequences');
  sequences.textContent = '';
  for (const sequence of diagnosis.sequences) sequences.appendChild(drawSequence(sequence));
}`;

/** The page's visible structure: the results table and the blocked call's sections, filled by the scripts. */
function pageBody(apiUrl: string): string {
  return `<h1>corsguard demo</h1>
<p>This page (<code id="origin"></code>) calls the API at <code>${apiUrl}</code>, another origin.
Open the developer tools' network tab to see the preflight and the CORS headers.</p>
<button id="run">Run all calls again</button>
<table>
<thead><tr><th>call</th><th>what happened</th><th>expected</th></tr></thead>
<tbody id="results"></tbody>
</table>
<h2>A call the browser blocks</h2>
<p id="blocked-result"></p>
<h3>What each browser prints in its console</h3>
<div id="console-messages">loading...</div>
<h3>What <code>corsguard explain</code> says about it</h3>
<div id="explain">loading...</div>
<h3>The requests, as <code>corsguard check</code> sees them</h3>
<div id="sequences"></div>`;
}

/**
 * The demo frontend: one page that makes every call of DEMO_CALLS and BLOCKED_CALL with fetch()
 * and shows what happened; for the blocked call, the console message each engine prints and
 * `corsguard explain`'s answer, and the request sequences of a call that works and of the
 * blocked one, drawn from `/diagnosis.json` (diagnosis.ts).
 */
export function demoPage(apiUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>corsguard demo</title>
<style>
${STYLE}
</style>
</head>
<body>
${pageBody(apiUrl)}
<script>
const API = ${JSON.stringify(apiUrl)};
const CALLS = ${scriptJson(DEMO_CALLS)};
const BLOCKED = ${scriptJson(BLOCKED_CALL)};
${CALLS_SCRIPT}
${SEQUENCE_SCRIPT}
${DIAGNOSIS_SCRIPT}
document.getElementById('run').addEventListener('click', runAll);
runAll();
</script>
</body>
</html>
`;
}
