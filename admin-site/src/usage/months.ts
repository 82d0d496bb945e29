/** UTC calendar helpers for the usage page: the API's months are "YYYY-MM" (UTC) and its date
 * filters UTC days, both ends included. */

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The first and last UTC day of the month of `now`. */
export function monthRange(now: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { from: utcDay(from), to: utcDay(to) };
}

/** The first day of the month `back` months before `now`'s. */
export function monthsBack(now: Date, back: number): string {
  return utcDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)));
}

/** Every "YYYY-MM" from the month of `from` to the month of `to` (at most 36). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let mo = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  while (out.length < 36) {
    const key = `${y}-${String(mo).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    mo += 1;
    if (mo > 12) { mo = 1; y += 1; }
  }
  return out;
}

export function formatMonth(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
