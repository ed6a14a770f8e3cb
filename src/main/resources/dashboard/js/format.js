// Numbers as people read them. One fixed locale, so the same report reads the same for everyone.
const LOCALE = 'en-US';

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const usdFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' });
const smallUsdFormat = new Intl.NumberFormat(LOCALE, {
  style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4,
});
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });

const number = (value) => (value === null || value === undefined || value === '' ? null : Number(value));

export const integer = (value) => (number(value) === null ? '—' : integerFormat.format(number(value)));
export const decimal = (value) => (number(value) === null ? '—' : decimalFormat.format(number(value)));
export const compact = (value) => (number(value) === null ? '—' : compactFormat.format(number(value)));
export const percent = (value) => (number(value) === null ? '—' : percentFormat.format(number(value)));

/** Dollars; amounts under a cent keep up to four decimals so a small LLM bill does not read $0.00. */
export function usd(value) {
  const amount = number(value);
  if (amount === null) return '—';
  return amount !== 0 && Math.abs(amount) < 0.01 ? smallUsdFormat.format(amount) : usdFormat.format(amount);
}

export function minutes(value) {
  const amount = number(value);
  return amount === null ? '—' : `${decimalFormat.format(amount)} min`;
}

/** Seconds as "1h 02m", "3m 05s" or "42s". */
export function duration(secondsValue) {
  const total = number(secondsValue);
  if (total === null) return '—';
  const seconds = Math.round(total);
  const hours = Math.floor(seconds / 3600);
  const mins = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  if (hours > 0) return `${hours}h ${String(mins).padStart(2, '0')}m`;
  if (mins > 0) return `${mins}m ${String(secs).padStart(2, '0')}s`;
  return `${secs}s`;
}

export function milliseconds(value) {
  const amount = number(value);
  if (amount === null) return '—';
  return amount >= 1000 ? `${decimalFormat.format(amount / 1000)} s` : `${integerFormat.format(amount)} ms`;
}

const dayFormat = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', hour12: false,
});

/** "2026-03-01" → "Mar 1" (dates are UTC days, as the reports bucket them). */
export const day = (isoDate) => dayFormat.format(new Date(`${isoDate}T00:00:00Z`));
/** An instant on the clock of a time zone: "Mar 1, 00:00" (a budget's period, in the budget's zone). */
export const zonedDateTime = (iso, timeZone) => new Intl.DateTimeFormat(LOCALE, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, hourCycle: 'h23',
}).format(new Date(iso));
export const dateTime = (iso) => (iso ? `${dateTimeFormat.format(new Date(iso))} UTC` : '—');

/** "1 transcription", "2 transcriptions", with thousands separators. */
export function count(value, singular, plural = `${singular}s`) {
  return `${integer(value)} ${Number(value) === 1 ? singular : plural}`;
}
