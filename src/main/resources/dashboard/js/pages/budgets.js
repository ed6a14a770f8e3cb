// Budgets: where each of the workspace's budgets stands in its current period (GET /v1/budgets),
// as progress bars coloured by status, with what is left and where the period's rate leads.
import { getJson } from '../api.js';
import { h, card, cards, loading, failure, format } from '../dom.js';

const STATUS_LABELS = { ok: 'On track', warning: 'Warning', exhausted: 'Exhausted' };

/** An amount in the budget's measure: dollars, or credits. */
function amount(budget, value) {
  return budget.measure === 'cost_usd' ? format.usd(value) : `${format.decimal(value)} credits`;
}

function scopeText(scope) {
  const parts = [];
  if (scope.agent_id) parts.push(`agent ${scope.agent_id}`);
  if (scope.member_id) parts.push(`member ${scope.member_id}`);
  Object.entries(scope.attribute || {}).forEach(([key, value]) => parts.push(`${key} = ${value}`));
  return parts.length ? parts.join(' · ') : 'the whole workspace';
}

/** The bar: spent in the status's colour, up to the limit; a tick where the forecast lands. */
function progress(budget) {
  const limit = Number(budget.limit);
  const filled = Math.min(100, Number(budget.percent));
  const forecastAt = limit > 0 ? Math.min(100, (Number(budget.forecast) / limit) * 100) : 0;
  const fill = h('div', { class: 'budget-fill' });
  const mark = h('div', { class: 'budget-forecast-mark', title: 'forecast at period end' });
  // Through the CSSOM: the Content-Security-Policy refuses style attributes.
  fill.style.width = `${filled}%`;
  mark.style.left = `${forecastAt}%`;
  return h('div', { class: 'budget-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(filled), 'aria-label': `${budget.name}: ${format.decimal(budget.percent)}% spent`,
    dataset: { status: budget.status } }, fill, mark);
}

function budgetCard(budget) {
  const over = Number(budget.forecast) > Number(budget.limit);
  return h('section', { class: 'card budget', dataset: { budget: budget.id, status: budget.status } },
    h('div', { class: 'budget-head' },
      h('div', {}, h('h2', {}, budget.name),
        h('div', { class: 'muted small' }, `${scopeText(budget.scope)} · per ${budget.period} (${budget.timezone})`)),
      h('div', { class: 'budget-badges' },
        budget.action === 'block_calls' ? h('span', { class: 'badge badge-block' }, 'Blocks calls') : null,
        h('span', { class: `badge badge-${budget.status}`, dataset: { field: 'status' } }, STATUS_LABELS[budget.status]))),
    h('div', { class: 'budget-numbers' },
      h('span', { class: 'budget-spent', dataset: { field: 'spent' } }, amount(budget, budget.spent)),
      h('span', { class: 'muted' }, ' of ', h('span', { dataset: { field: 'limit' } }, amount(budget, budget.limit))),
      h('span', { class: 'budget-percent', dataset: { field: 'percent' } }, `${format.decimal(budget.percent)}%`)),
    progress(budget),
    h('dl', { class: 'facts budget-facts' },
      h('dt', {}, 'Remaining'), h('dd', { dataset: { field: 'remaining' } }, amount(budget, budget.remaining)),
      h('dt', {}, 'Forecast at period end'),
      h('dd', { class: over ? 'over' : '', dataset: { field: 'forecast' } }, amount(budget, budget.forecast)),
      h('dt', {}, 'Period'),
      h('dd', { dataset: { field: 'period' } },
        `${format.zonedDateTime(budget.period_start, budget.timezone)} – ${format.zonedDateTime(budget.period_end, budget.timezone)}`)));
}

async function render(container) {
  container.replaceChildren(loading());
  let report;
  try {
    report = await getJson('/v1/budgets');
  } catch (error) {
    container.replaceChildren(failure(error, { page: 'budgets', needs: 'analytics:read' }));
    return;
  }
  const budgets = report.budgets;
  if (!budgets.length) {
    container.replaceChildren(h('div', { class: 'card notice', dataset: { empty: 'budgets' } }, h('h2', {}, 'No budgets yet'),
      h('p', {}, 'An operator (admin token) or a key with ', h('code', {}, 'budgets:write'), ' defines them with ',
        h('code', {}, 'POST /admin/budgets'), '; see the README\'s Budgets section.')));
    return;
  }
  const count = (status) => budgets.filter((budget) => budget.status === status).length;
  container.replaceChildren(h('div', { class: 'budgets-page' },
    h('div', { class: 'page-filters' }, h('span', { class: 'muted', dataset: { asOf: report.as_of } },
      `As of ${format.dateTime(report.as_of)}`)),
    cards(
      card('budgets-total', 'Budgets', format.integer(budgets.length),
        `${format.integer(budgets.filter((budget) => budget.action === 'block_calls').length)} block calls when exhausted`),
      card('budgets-warning', 'Warning', format.integer(count('warning')), 'past a threshold'),
      card('budgets-exhausted', 'Exhausted', format.integer(count('exhausted')), 'at or over the limit')),
    h('div', { class: 'budgets' }, budgets.map(budgetCard))));
}

export default {
  id: 'budgets', title: 'Budgets', short: 'Budgets', needs: ['analytics:read'], usesRange: false, render,
};
