// Call statistics: POST /calls/stats (HTTP Basic, the key as password) — LLM request latency percentiles,
// request and error counts over time, and tokens and cost by model.
import { postJson, downloadCsv, session } from '../api.js';
import { h, card, cards, panel, chartBox, table, csvButton, loading, failure, format } from '../dom.js';
import { addDays, daysBetween } from '../dates.js';
import * as charts from '../charts.js';

const MAX_DAYS = 31;
const PERCENTILES = [50, 90, 99];
const LATENCY_COLORS = ['#10b981', '#f59e0b', '#ef4444'];
let granularity = '';

/** The API takes at most 31 days; a longer range shows its last 31 days and says so. */
function window31(range) {
  const end = addDays(range.to, 1);
  const start = daysBetween(range.from, end) > MAX_DAYS ? addDays(end, -MAX_DAYS) : range.from;
  return { start: `${start}T00:00:00Z`, end: `${end}T00:00:00Z`, clamped: start !== range.from, startDate: start };
}

function body(span, seconds) {
  return {
    project_id: session.workspace,
    start: span.start,
    end: span.end,
    granularity: seconds || null,
    timezone: 'UTC',
    call_metrics: [
      { metric: 'latency_ms', percentiles: PERCENTILES, aggregations: ['avg'] },
      { metric: 'call_count', aggregations: ['sum'] },
      { metric: 'error_count', aggregations: ['sum'] },
    ],
    usage_metrics: [
      { metric: 'total_tokens', aggregations: ['sum'] },
      { metric: 'total_cost', aggregations: ['sum'] },
    ],
  };
}

function label(timestamp, seconds) {
  return seconds >= 86400 ? format.day(timestamp.slice(0, 10)) : format.dateTime(timestamp).replace(' UTC', '');
}

function bucketName(seconds) {
  if (seconds % 86400 === 0) return seconds === 86400 ? 'Daily' : `${seconds / 86400}-day`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'Hourly' : `${seconds / 3600}-hour`;
  if (seconds % 60 === 0) return `${seconds / 60}-minute`;
  return `${format.integer(seconds)}-second`;
}

function granularityPicker(onChange) {
  const select = h('select', { id: 'granularity', 'aria-label': 'Bucket size' },
    [['', 'Automatic'], ['3600', 'Hourly'], ['21600', 'Every 6 hours'], ['86400', 'Daily']]
      .map(([value, text]) => h('option', { value, selected: value === granularity }, text)));
  select.addEventListener('change', () => { granularity = select.value; onChange(); });
  return h('label', { class: 'filter' }, 'Buckets ', select);
}

async function render(container, { range }) {
  container.replaceChildren(loading());
  const span = window31(range);
  const wholeSeconds = daysBetween(span.startDate, addDays(range.to, 1)) * 86400;
  let series;
  let overall;
  try {
    [series, overall] = await Promise.all([
      postJson('/calls/stats', body(span, Number(granularity) || null), { auth: 'basic' }),
      // One bucket over the whole range gives the range's own percentiles (not an average of daily ones).
      postJson('/calls/stats', body(span, wholeSeconds), { auth: 'basic' }).catch(() => null),
    ]);
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'call statistics', needs: 'analytics:read' }));
    return;
  }
  const buckets = series.call_buckets || [];
  const total = (field) => buckets.reduce((sum, bucket) => sum + Number(bucket[field] || 0), 0);
  const calls = total('sum_call_count');
  const errors = total('sum_error_count');
  const whole = overall && overall.call_buckets && overall.call_buckets[0] ? overall.call_buckets[0] : {};
  const models = new Map();
  (series.usage_buckets || []).forEach((bucket) => {
    const entry = models.get(bucket.model) || { model: bucket.model, tokens: 0, cost: 0 };
    entry.tokens += Number(bucket.sum_total_tokens || 0);
    entry.cost += Number(bucket.sum_total_cost || 0);
    models.set(bucket.model, entry);
  });
  const modelRows = [...models.values()].filter((row) => row.tokens > 0 || row.cost > 0).sort((a, b) => b.cost - a.cost);
  const rerender = () => render(container, { range });
  const csvPath = '/calls/stats';

  container.replaceChildren(
    h('div', { class: 'page-filters' }, granularityPicker(rerender),
      span.clamped ? h('span', { class: 'hint' }, `Showing the last ${MAX_DAYS} days of the range (the API's limit).`) : null,
      h('span', { class: 'muted small' }, `${bucketName(series.granularity)} buckets, UTC`),
      csvButton(() => downloadCsv(csvPath, `call-stats-${span.startDate}-${range.to}.csv`,
        { method: 'POST', body: body(span, Number(granularity) || null), auth: 'basic' }))),
    cards(
      card('llm-calls', 'LLM requests', format.integer(calls), `${format.integer(errors)} failed`),
      card('error-rate', 'Error rate', calls ? format.percent(errors / calls) : '—', 'failed ÷ requests'),
      ...PERCENTILES.map((percentile) => card(`p${percentile}`, `p${percentile} latency`,
        format.milliseconds(whole[`p${percentile}_latency_ms`]), 'over the range'))),
    h('div', { class: 'grid' },
      panel('Latency percentiles', chartBox('stats-latency', true), { wide: true, name: 'latency' }),
      panel('Requests and errors', chartBox('stats-calls'), { wide: true, name: 'requests' }),
      panel('Tokens and cost by model', table('stats-models', [
        { label: 'Model', value: (row) => row.model || '(none)' },
        { label: 'Tokens', kind: 'num', value: (row) => format.integer(row.tokens) },
        { label: 'Cost', kind: 'num', value: (row) => format.usd(row.cost) },
      ], modelRows), { wide: true, name: 'models' })),
  );
  const labels = buckets.map((bucket) => label(bucket.timestamp, series.granularity));
  charts.draw(container, 'stats-latency', {
    type: 'line',
    data: { labels, datasets: PERCENTILES.map((percentile, index) => ({
      label: `p${percentile}`, data: buckets.map((bucket) => bucket[`p${percentile}_latency_ms`]),
      borderColor: LATENCY_COLORS[index], backgroundColor: LATENCY_COLORS[index], cubicInterpolationMode: 'monotone', spanGaps: true,
      pointRadius: buckets.length > 60 ? 0 : 2 })) },
    options: { interaction: { mode: 'index', intersect: false },
      scales: { x: charts.dayAxis(), y: { beginAtZero: true, ticks: { callback: (value) => format.milliseconds(value) } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format.milliseconds(item.parsed.y)}` } } } },
  });
  charts.draw(container, 'stats-calls', {
    type: 'bar',
    data: { labels, datasets: [
      { label: 'Requests', data: buckets.map((bucket) => bucket.sum_call_count), backgroundColor: '#a5b4fc', borderRadius: 3 },
      { label: 'Errors', data: buckets.map((bucket) => bucket.sum_error_count), backgroundColor: '#ef4444', borderRadius: 3 },
    ] },
    options: { interaction: { mode: 'index', intersect: false }, scales: { x: charts.dayAxis(), y: charts.countAxis() } },
  });
}

export default {
  id: 'stats', title: 'Call statistics', short: 'Call stats', needs: ['analytics:read'], render,
};
