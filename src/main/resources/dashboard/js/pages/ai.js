// AI usage: GET /api/v2/w/{id}/reports/ai-usage (tokens, credits and cost by provider, type and model).
import { getJson, query, downloadCsv, workspacePath } from '../api.js';
import { h, card, cards, panel, chartBox, table, csvButton, loading, failure, format } from '../dom.js';
import * as charts from '../charts.js';

async function render(container, { range }) {
  container.replaceChildren(loading());
  const path = workspacePath(`/reports/ai-usage${query({ start_date: range.from, end_date: range.to })}`);
  let report;
  try {
    report = await getJson(path);
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'AI usage', needs: 'analytics:read' }));
    return;
  }
  const cachedShare = report.total_tokens > 0 ? report.total_cached_tokens / report.total_tokens : null;
  container.replaceChildren(
    h('div', { class: 'page-filters' }, h('span', { class: 'muted' }, 'Tokens, credits and cost of every LLM request'),
      csvButton(() => downloadCsv(path, `ai-usage-${range.from}-${range.to}.csv`))),
    cards(
      card('total-tokens', 'Total tokens', format.integer(report.total_tokens), 'text input + output'),
      card('total-credits', 'Credits', format.decimal(report.total_credits), 'tokens × model multiplier'),
      card('total-cost', 'LLM cost', format.usd(report.total_cost_usd),
        report.unpriced_requests ? format.count(report.unpriced_requests, 'unpriced request') : 'all requests priced'),
      card('cached-tokens', 'Cached tokens', format.integer(report.total_cached_tokens),
        cachedShare === null ? null : `${format.percent(cachedShare)} of tokens`),
      card('audio-tokens', 'Audio tokens', format.integer(report.total_audio_input_tokens + report.total_audio_output_tokens),
        `${format.integer(report.total_audio_input_tokens)} in · ${format.integer(report.total_audio_output_tokens)} out`),
      card('total-messages', 'Messages', format.integer(report.total_messages), 'all chat messages')),
    h('div', { class: 'grid' },
      panel('Cost by provider', chartBox('ai-providers'), { name: 'providers-chart' }),
      panel('Chat vs realtime', chartBox('ai-types'), { name: 'types' }),
      panel('Providers', table('providers', [
        { label: 'Provider', value: (row) => row.provider },
        { label: 'Requests', kind: 'num', value: (row) => format.integer(row.requests) },
        { label: 'Tokens', kind: 'num', value: (row) => format.integer(row.total_tokens) },
        { label: 'Credits', kind: 'num', value: (row) => format.decimal(row.total_credits) },
        { label: 'Cost', kind: 'num', value: (row) => format.usd(row.total_cost_usd) },
      ], report.by_provider), { wide: true, name: 'providers' }),
      panel('Top models by credits', chartBox('ai-models', true), { wide: true, name: 'models-chart' }),
      panel('Top models', table('models', [
        { label: 'Model', value: (row) => row.model },
        { label: 'Provider', value: (row) => row.provider },
        { label: 'Requests', kind: 'num', value: (row) => format.integer(row.requests) },
        { label: 'Tokens', kind: 'num', value: (row) => format.integer(row.total_tokens) },
        { label: 'Credits', kind: 'num', value: (row) => format.decimal(row.total_credits) },
      ], report.top_models), { wide: true, name: 'models' })),
  );
  charts.draw(container, 'ai-providers', charts.doughnut(report.by_provider.map((row) => row.provider),
    report.by_provider.map((row) => Number(row.total_cost_usd)), charts.COLORS));
  charts.draw(container, 'ai-types', {
    type: 'bar',
    data: {
      labels: report.by_type.map((row) => row.type),
      datasets: [
        { label: 'Tokens', data: report.by_type.map((row) => row.total_tokens), backgroundColor: '#818cf8', borderRadius: 4, yAxisID: 'tokens' },
        { label: 'Credits', data: report.by_type.map((row) => Number(row.total_credits)), backgroundColor: '#34d399', borderRadius: 4, yAxisID: 'credits' },
      ],
    },
    options: { scales: { x: { grid: { display: false } }, tokens: charts.countAxis('left'), credits: charts.countAxis('right') } },
  });
  charts.draw(container, 'ai-models', {
    type: 'bar',
    data: {
      labels: report.top_models.map((row) => row.model),
      datasets: [{ label: 'Credits', data: report.top_models.map((row) => Number(row.total_credits)),
        backgroundColor: report.top_models.map((row, index) => charts.COLORS[index % charts.COLORS.length]), borderRadius: 4 }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { callback: (value) => format.compact(value) } }, y: { grid: { display: false } } } },
  });
}

export default {
  id: 'ai', title: 'AI usage', short: 'AI usage', needs: ['analytics:read'], render,
};
