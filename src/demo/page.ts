import { DEMO_CALLS } from './calls.js';

/** The demo frontend: one page that makes every call of DEMO_CALLS with fetch() and shows what happened. */
export function demoPage(apiUrl: string): string {
  const calls = JSON.stringify(DEMO_CALLS).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>corsguard demo</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }
  .ok { color: #176f2c; } .bad { color: #b3261e; }
  code { background: #f4f4f4; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>corsguard demo</h1>
<p>This page (<code id="origin"></code>) calls the API at <code>${apiUrl}</code>, another origin.
Open the developer tools' network tab to see the preflight and the CORS headers.</p>
<button id="run">Run all calls again</button>
<table>
<thead><tr><th>call</th><th>what happened</th><th>expected</th></tr></thead>
<tbody id="results"></tbody>
</table>
<script>
const API = ${JSON.stringify(apiUrl)};
const CALLS = ${calls};
document.getElementById('origin').textContent = location.origin;
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
  window.demoResults = results;
  document.title = 'corsguard demo: done';
}
document.getElementById('run').addEventListener('click', runAll);
runAll();
</script>
</body>
</html>
`;
}
