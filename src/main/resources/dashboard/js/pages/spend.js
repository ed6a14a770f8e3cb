// Spend overview: GET /v1/analytics/spend (calls, minutes, carrier cost, outcomes, agents).
import { getJson, query, downloadCsv } from '../api.js';
import { h, card, cards, panel, chartBox, table, csvButton, loading, failure, format } from '../dom.js';
import * as charts from '../charts.js';

const agentsSeen = new Set();
let selectedAgent = '';

function agentFilter(onChange) {
  const select = h('select', { id: 'agent-filter', 'aria-label': 'Agent' },
    h('option', { value: '' }, 'All agents'),
    [...agentsSeen].sort().map((agent) => h('option', { value: agent, selected: agent === selectedAgent }, agent)));
  select.addEventListener('change', () => { selectedAgent = select.value; onChange(); });
  return h('label', { class: 'filter' }, 'Agent ', select);
}

async function render(container, { range }) {
  container.replaceChildren(loading());
  const parameters = { from: range.from, to: range.to, agent_id: selectedAgent };
  const path = `/v1/analytics/spend${query(parameters)}`;
  let report;
  try {
    report = await getJson(path);
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'the spend overview', needs: 'analytics:read' }));
    return;
  }
  report.agent_performance.forEach((agent) => agentsSeen.add(agent.agent_id));
  const rerender = () => render(container, { range });
  const totalCost = Number(report.total_spent);

  container.replaceChildren(
    h('div', { class: 'page-filters' }, agentFilter(rerender),
      csvButton(() => downloadCsv(path, `spend-${range.from}-${range.to}.csv`), 'Daily CSV')),
    cards(
      card('total-calls', 'Total calls', format.integer(report.total_calls),
        `${format.integer(report.completed_calls)} completed · ${format.integer(report.in_progress_calls)} in progress`),
      card('total-spent', 'Total spent', format.usd(report.total_spent), 'carrier cost of the calls'),
      card('total-minutes', 'Minutes', format.minutes(report.telecom_costs.total_minutes), 'billed talk time'),
      card('average-duration', 'Average call', format.duration(report.average_duration_seconds), 'finished calls'),
      card('success-rate', 'Success rate', format.percent(report.success_rate), 'completed ÷ all calls')),
    h('div', { class: 'grid' },
      panel('Daily calls and cost', chartBox('spend-daily', true), { wide: true, name: 'daily' }),
      panel('Call status', chartBox('spend-status'), { name: 'status' }),
      panel('Sentiment', chartBox('spend-sentiment'), { name: 'sentiment' }),
      panel('Where calls end (duration)', chartBox('spend-dropoff'), { wide: true, name: 'dropoff' }),
      panel('Agents', table('agents', [
        { label: 'Agent', value: (row) => row.agent_id || '(none)' },
        { label: 'Calls', kind: 'num', value: (row) => format.integer(row.calls) },
        { label: 'Minutes', kind: 'num', value: (row) => format.minutes(row.minutes) },
        { label: 'Cost', kind: 'num', value: (row) => format.usd(row.cost) },
        { label: 'Share', kind: 'num', value: (row) => (totalCost > 0 ? format.percent(Number(row.cost) / totalCost) : '—') },
      ], report.agent_performance), { wide: true, name: 'agents' })),
  );

  const days = report.time_series;
  charts.draw(container, 'spend-daily', {
    data: {
      labels: days.map((day) => format.day(day.date)),
      datasets: [
        { type: 'bar', label: 'Calls', data: days.map((day) => day.calls), backgroundColor: '#c7d2fe',
          hoverBackgroundColor: '#a5b4fc', borderRadius: 4, yAxisID: 'calls', order: 2 },
        { type: 'line', label: 'Cost', data: days.map((day) => Number(day.cost)), borderColor: '#4f46e5',
          backgroundColor: '#4f46e5', cubicInterpolationMode: 'monotone', pointRadius: days.length > 40 ? 0 : 3, yAxisID: 'cost', order: 1 },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: { x: charts.dayAxis(), calls: charts.countAxis('left'), cost: charts.moneyAxis('right') },
      plugins: { tooltip: { callbacks: { label: (item) => (item.dataset.yAxisID === 'cost'
        ? `Cost: ${format.usd(item.parsed.y)}` : `Calls: ${format.integer(item.parsed.y)}`) } } },
    },
  });
  const status = report.status_distribution;
  charts.draw(container, 'spend-status', charts.doughnut(['Completed', 'Failed', 'In progress'],
    [status.completed, status.failed, status.in_progress],
    [charts.STATUS_COLORS.completed, charts.STATUS_COLORS.failed, charts.STATUS_COLORS.in_progress]));
  const sentiment = report.sentiment_distribution;
  charts.draw(container, 'spend-sentiment', charts.doughnut(['Positive', 'Neutral', 'Negative', 'Unknown'],
    [sentiment.positive, sentiment.neutral, sentiment.negative, sentiment.unknown],
    [charts.SENTIMENT_COLORS.positive, charts.SENTIMENT_COLORS.neutral, charts.SENTIMENT_COLORS.negative,
      charts.SENTIMENT_COLORS.unknown]));
  charts.draw(container, 'spend-dropoff', {
    type: 'bar',
    data: {
      labels: report.drop_off_points.map((point) => point.bucket),
      datasets: [{ label: 'Calls', data: report.drop_off_points.map((point) => point.count),
        backgroundColor: ['#fca5a5', '#fdba74', '#fde047', '#86efac', '#34d399'], borderRadius: 4 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { x: { grid: { display: false } }, y: charts.countAxis() } },
  });
}

export default {
  id: 'spend', title: 'Spend overview', short: 'Spend', needs: ['analytics:read'], render,
};
