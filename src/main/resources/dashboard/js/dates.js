// Report dates are UTC days, "YYYY-MM-DD", inclusive at both ends.

export function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every day from..to, so daily charts show quiet days as zeros instead of skipping them. */
export function everyDay(from, to) {
  const days = [];
  for (let date = from; date <= to && days.length < 1000; date = addDays(date, 1)) days.push(date);
  return days;
}

export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/** Sums rows per date into a dense series: {date → value}. */
export function dailySeries(days, rows, value) {
  const totals = new Map(days.map((date) => [date, 0]));
  rows.forEach((row) => {
    const date = String(row.date);
    if (totals.has(date)) totals.set(date, totals.get(date) + Number(value(row)));
  });
  return days.map((date) => totals.get(date));
}

/** Groups rows by a key, summing the named numeric fields; biggest first by the first field. */
export function groupSum(rows, key, fields) {
  const groups = new Map();
  rows.forEach((row) => {
    const name = key(row);
    const group = groups.get(name) || Object.fromEntries([['key', name], ...fields.map((field) => [field, 0])]);
    fields.forEach((field) => { group[field] += Number(row[field] || 0); });
    groups.set(name, group);
  });
  return [...groups.values()].sort((a, b) => b[fields[0]] - a[fields[0]]);
}
