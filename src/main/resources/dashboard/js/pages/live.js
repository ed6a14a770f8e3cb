// Live calls: the workspace's live metrics (GET /api/v1/metrics/live/{tenant}), refreshed every few seconds.
// These are operator endpoints behind the admin token, not an API key, so the page asks for the token itself.
import { getJson, session } from '../api.js';
import { h, card, cards, panel, chartBox, failure, format } from '../dom.js';
import * as charts from '../charts.js';

const REFRESH_MILLIS = 5000;
const HISTORY = 60;
const history = [];
// The polling loop running now, if any: the token form restarts the page outside the shell's render.
let stopPolling = () => {};

function tokenForm(container, message) {
  const input = h('input', { id: 'admin-token', type: 'password', placeholder: 'admin token', spellcheck: 'false',
    autocomplete: 'off', required: true });
  const form = h('form', { class: 'card notice token-form', dataset: { form: 'admin-token' } },
    h('h2', {}, 'Live calls need the admin token'),
    h('p', {}, 'The live view reads operator endpoints, which take the server\'s admin token (header ',
      h('code', {}, 'X-Admin-Token'), '), not an API key. The token is kept in this tab\'s session storage only ',
      'and is forgotten when the tab closes. After ', h('code', {}, 'make run'), ' it is in ', h('code', {}, 'data/admin-token'), '.'),
    message ? h('p', { class: 'error-text', role: 'alert' }, message) : null,
    h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'primary' }, 'Show live calls')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.adminToken = input.value.trim();
    history.length = 0;
    render(container);
  });
  container.replaceChildren(form);
}

function rejected(metrics) {
  return metrics.rejected_calls_capacity + metrics.rejected_calls_tenant_not_configured
    + metrics.rejected_calls_instructions_missing + metrics.rejected_calls_budget_exhausted;
}

function draw(container, metrics, updated) {
  const totalRejected = rejected(metrics);
  const admissions = metrics.accepted_calls + totalRejected;
  container.replaceChildren(
    h('div', { class: 'page-filters' },
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'muted', dataset: { updated: updated.toISOString() } },
        `Live · refreshes every ${REFRESH_MILLIS / 1000} s · updated ${updated.toLocaleTimeString('en-US', { hour12: false })}`),
      h('button', { type: 'button', class: 'ghost small-button', onclick: () => { session.adminToken = null; history.length = 0; render(container); } },
        'Forget admin token')),
    cards(
      card('active-calls', 'Active calls', format.integer(metrics.active_calls), 'started, not ended'),
      card('accepted-calls', 'Admitted', format.integer(metrics.accepted_calls),
        admissions ? `${format.percent(metrics.accepted_calls / admissions)} of admission requests` : 'no admissions yet'),
      card('rejected-calls', 'Rejected', format.integer(totalRejected),
        `${format.integer(metrics.rejected_calls_capacity)} capacity · ${format.integer(metrics.rejected_calls_tenant_not_configured)} not configured · `
        + `${format.integer(metrics.rejected_calls_instructions_missing)} no instructions · `
        + `${format.integer(metrics.rejected_calls_budget_exhausted)} budget exhausted`),
      card('minutes-processed', 'Minutes processed', format.minutes(metrics.minutes_processed), 'ended + live calls'),
      card('ended-calls', 'Ended calls', format.integer(metrics.ended_calls),
        `${format.integer(metrics.failed_calls)} failed · ${format.integer(metrics.referred_calls)} referred`)),
    h('div', { class: 'grid' },
      panel('Active calls (this session)', chartBox('live-active'), { wide: true, name: 'active' }),
      panel('Admission decisions', chartBox('live-decisions'), { name: 'decisions' }),
      panel('Instructions', h('dl', { class: 'facts' },
        h('dt', {}, 'Fallback instructions used'), h('dd', {}, format.integer(metrics.fallback_instructions_used)),
        h('dt', {}, 'Instruction store errors'), h('dd', {}, format.integer(metrics.instructions_db_errors)),
        h('dt', {}, 'Started calls'), h('dd', {}, format.integer(metrics.started_calls))), { name: 'instructions' })),
  );
  charts.draw(container, 'live-active', {
    type: 'line',
    data: { labels: history.map((sample) => sample.time),
      datasets: [{ label: 'Active calls', data: history.map((sample) => sample.active), borderColor: '#4f46e5',
        backgroundColor: 'rgba(79,70,229,0.12)', fill: true, cubicInterpolationMode: 'monotone', pointRadius: 0, stepped: false }] },
    options: { plugins: { legend: { display: false } }, scales: { x: { ticks: { maxTicksLimit: 6 } }, y: charts.countAxis() } },
  });
  charts.draw(container, 'live-decisions', charts.doughnut(
    ['Admitted', 'Capacity', 'Not configured', 'No instructions', 'Budget exhausted'],
    [metrics.accepted_calls, metrics.rejected_calls_capacity, metrics.rejected_calls_tenant_not_configured,
      metrics.rejected_calls_instructions_missing, metrics.rejected_calls_budget_exhausted],
    ['#10b981', '#ef4444', '#f59e0b', '#94a3b8', '#7c3aed']));
}

async function refresh(container, stopped) {
  const metrics = await getJson(`/api/v1/metrics/live/${encodeURIComponent(session.workspace)}`, { auth: 'admin' });
  if (stopped()) return;
  const now = new Date();
  history.push({ time: now.toLocaleTimeString('en-US', { hour12: false }), active: metrics.active_calls });
  while (history.length > HISTORY) history.shift();
  charts.destroyAll();
  draw(container, metrics, now);
}

function render(container) {
  stopPolling();
  if (!session.adminToken) {
    tokenForm(container);
    return () => stopPolling();
  }
  let stopped = false;
  let timer = null;
  const tick = async () => {
    try {
      await refresh(container, () => stopped);
    } catch (error) {
      if (stopped) return;
      if (error.status === 401) {
        session.adminToken = null;
        tokenForm(container, `The server refused the admin token: ${error.reason}`);
        return;
      }
      container.replaceChildren(failure(error, { page: 'live calls' }));
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MILLIS);
  };
  stopPolling = () => { stopped = true; clearTimeout(timer); };
  tick();
  return () => stopPolling();
}

export default {
  id: 'live', title: 'Live calls', short: 'Live', usesRange: false, render,
};
