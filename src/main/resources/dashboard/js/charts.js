// Chart.js (loaded from the jar's WebJar as a global) with one look for every page.
import * as format from './format.js';

export const COLORS = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6',
  '#64748b', '#84cc16'];
export const STATUS_COLORS = { completed: '#10b981', failed: '#ef4444', in_progress: '#f59e0b' };
export const SENTIMENT_COLORS = { positive: '#10b981', neutral: '#94a3b8', negative: '#ef4444', unknown: '#cbd5e1' };

const live = new Set();

function defaults() {
  const { Chart } = window;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#475569';
  Chart.defaults.borderColor = '#e2e8f0';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
}

export function available() {
  return typeof window.Chart === 'function';
}

/** Draws into the canvas named data-chart=name inside root; charts of the previous page are destroyed first. */
export function draw(root, name, config) {
  if (!available()) return null;
  if (!draw.ready) { defaults(); draw.ready = true; }
  const canvas = root.querySelector(`canvas[data-chart="${name}"]`);
  if (config.type === 'doughnut' && canvas.parentElement.clientWidth < 420) {
    config.options.plugins.legend.position = 'bottom';
  }
  const chart = new window.Chart(canvas, config);
  live.add(chart);
  return chart;
}

export function destroyAll() {
  live.forEach((chart) => chart.destroy());
  live.clear();
}

export function moneyAxis(position = 'right') {
  return { position, beginAtZero: true, grid: { drawOnChartArea: position === 'left' },
    ticks: { callback: (value) => format.usd(value) } };
}

export function countAxis(position = 'left', suffix = '') {
  return { position, beginAtZero: true, grid: { drawOnChartArea: position === 'left' },
    ticks: { precision: 0, callback: (value) => `${format.compact(value)}${suffix}` } };
}

export function dayAxis() {
  return { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } };
}

export function doughnut(labels, values, colors) {
  return {
    type: 'doughnut',
    data: { labels, datasets: [{ data: values, backgroundColor: colors, borderWidth: 2, borderColor: '#fff' }] },
    options: {
      cutout: '62%',
      plugins: { legend: { position: 'right' } },
      // Beside the ring on a wide card, under it on a phone.
      onResize: (chart, size) => {
        const position = size.width < 420 ? 'bottom' : 'right';
        if (chart.options.plugins.legend.position !== position) {
          chart.options.plugins.legend.position = position;
          chart.update('none');
        }
      },
    },
  };
}

export function tooltip(formatter) {
  return { callbacks: { label: (item) => `${item.dataset.label || item.label}: ${formatter(item.parsed.y ?? item.parsed, item)}` } };
}
