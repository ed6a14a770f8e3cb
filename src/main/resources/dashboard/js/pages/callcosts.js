// Call costs: GET /v1/analytics/call-costs (every part of a call's cost, per minute, by agent,
// the most expensive calls, and calls whose platform total disagrees with their parts).
import { getJson, query, downloadCsv } from '../api.js';
import { h, card, cards, panel, chartBox, table, csvButton, loading, failure, format } from '../dom.js';
import * as charts from '../charts.js';

const PART_NAMES = {
  telephony: 'Telephony', stt: 'Transcription', llm: 'LLM', tts: 'Speech', sms: 'SMS', platform: 'Platform fee',
  analysis: 'Analysis fee', transport: 'Transport fee', phone_number: 'Number fee', other: 'Other fees',
};
const PART_COLORS = {
  telephony: '#4f46e5', stt: '#0ea5e9', llm: '#10b981', tts: '#f59e0b', sms: '#ec4899', platform: '#8b5cf6',
  analysis: '#14b8a6', transport: '#64748b', phone_number: '#84cc16', other: '#ef4444',
};

const partName = (key) => PART_NAMES[key] || key;

function callColumns() {
  return [
    { label: 'Call', value: (row) => row.call_id },
    { label: 'Agent', value: (row) => row.agent_id || '(none)' },
    { label: 'Started', value: (row) => format.dateTime(row.started_at) },
    { label: 'Duration', kind: 'num', value: (row) => format.duration(row.duration_seconds) },
    { label: 'Cost', kind: 'num', value: (row) => format.usd(row.total_cost_usd) },
    { label: 'Per minute', kind: 'num', value: (row) => (Number(row.duration_seconds) > 0
      ? format.usd(Number(row.total_cost_usd) / (Number(row.duration_seconds) / 60)) : '—') },
    { label: 'Largest part', value: (row) => largestPart(row.components) },
  ];
}

function largestPart(components) {
  const [key, amount] = Object.entries(components).sort((a, b) => Number(b[1]) - Number(a[1]))[0] || [];
  return key && Number(amount) > 0 ? `${partName(key)} ${format.usd(amount)}` : '—';
}

async function render(container, { range }) {
  container.replaceChildren(loading());
  const path = `/v1/analytics/call-costs${query({ from: range.from, to: range.to, limit: 20 })}`;
  let report;
  try {
    report = await getJson(path);
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'call costs', needs: 'analytics:read' }));
    return;
  }
  const totals = report.totals;
  const parts = Object.keys(totals.components);
  const largest = Object.entries(totals.components).sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  container.replaceChildren(
    h('div', { class: 'page-filters' },
      csvButton(() => downloadCsv(path, `call-costs-${range.from}-${range.to}.csv`), 'Calls CSV')),
    cards(
      card('call-cost-total', 'Total cost', format.usd(totals.total_cost_usd), `${format.count(totals.calls, 'call')}`),
      card('call-cost-per-minute', 'Cost per minute', format.usd(totals.cost_per_minute_usd),
        `${format.minutes(totals.minutes)} talked`),
      card('call-cost-largest', 'Largest part', largest && Number(largest[1]) > 0 ? partName(largest[0]) : '—',
        largest ? format.usd(largest[1]) : ''),
      card('call-cost-mismatches', 'Mismatched totals', format.integer(report.mismatched_calls.length),
        'platform total ≠ parts (over 1¢)'),
      card('call-cost-unpriced', 'Unpriced events', format.integer(totals.unpriced_events), 'stored at $0, no price')),
    h('div', { class: 'grid' },
      panel('Cost per minute by part', chartBox('call-cost-per-minute', true), { wide: true, name: 'per-minute' }),
      panel('Agents', table('call-cost-agents', [
        { label: 'Agent', value: (row) => row.agent_id },
        { label: 'Calls', kind: 'num', value: (row) => format.integer(row.calls) },
        { label: 'Minutes', kind: 'num', value: (row) => format.minutes(row.minutes) },
        { label: 'Cost', kind: 'num', value: (row) => format.usd(row.total_cost_usd) },
        { label: 'Per minute', kind: 'num', value: (row) => format.usd(row.cost_per_minute_usd) },
      ], report.by_agent), { wide: true, name: 'agents' }),
      panel('Most expensive calls', table('call-cost-calls', callColumns(), report.calls), { wide: true, name: 'calls' }),
      panel('Reported totals that differ from the parts', table('call-cost-mismatches', [
        { label: 'Call', value: (row) => row.call_id },
        { label: 'Agent', value: (row) => row.agent_id || '(none)' },
        { label: 'Parts', kind: 'num', value: (row) => format.usd(row.total_cost_usd) },
        { label: 'Reported', kind: 'num', value: (row) => format.usd(row.reported_total_cost_usd) },
        { label: 'Difference', kind: 'num', value: (row) => format.usd(row.difference_usd) },
      ], report.mismatched_calls, { empty: 'Every reported total matches its parts to the cent.' }),
      { wide: true, name: 'mismatches' })),
  );

  const days = report.by_day;
  // each day's parts divided by that day's minutes: stacked, the bars add up to the day's cost per minute
  const perMinute = (day, key) => (Number(day.minutes) > 0 ? Number(day.components[key]) / Number(day.minutes) : 0);
  charts.draw(container, 'call-cost-per-minute', {
    type: 'bar',
    data: {
      labels: days.map((day) => format.day(day.date)),
      datasets: parts.map((key) => ({ label: partName(key), data: days.map((day) => perMinute(day, key)),
        backgroundColor: PART_COLORS[key] || charts.COLORS[0], stack: 'parts' })),
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { x: { ...charts.dayAxis(), stacked: true }, y: { ...charts.moneyAxis('left'), stacked: true } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format.usd(item.parsed.y)}/min` } } },
    },
  });
}

export default {
  id: 'call-costs', title: 'Call costs', short: 'Call costs', needs: ['analytics:read'], render,
};
