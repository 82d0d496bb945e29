/** Dates as the user's language writes them, in a given IANA time zone (the entity's). */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

export function formatRange(startIso: string, endIso: string, locale: string, timeZone?: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return f.formatRange(start, end);
}

function parts(date: Date, timeZone: string): Record<string, number> {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The offset (ms) of `timeZone` from UTC at the instant `date`. */
function offsetAt(date: Date, timeZone: string): number {
  const p = parts(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** "2026-12-03T14:30" read as a wall-clock time in `timeZone` → the UTC instant, ISO 8601.
 * A datetime-local input has no zone; the meeting's times are the entity's, not the browser's. */
export function zonedLocalToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let guess = wall - offsetAt(new Date(wall), timeZone);
  // Second pass: the offset at the guessed instant (differs only around a DST change).
  guess = wall - offsetAt(new Date(guess), timeZone);
  return new Date(guess).toISOString();
}

/** The wall-clock "YYYY-MM-DDTHH:mm" of an instant in `timeZone` (for a datetime-local input). */
export function isoToZonedLocal(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const p = parts(date, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour % 24)}:${pad(p.minute)}`;
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A money amount as the API gives it (an exact decimal string, USD) in the user's language:
 * cents at least, and every further digit the amount has up to six (AI costs are small). The
 * string is formatted as is: no rounding through a float. */
export function formatUsd(amount: string | number, locale: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
  // Intl formats a numeric string exactly (no float); the lib types here predate that.
  return f.format(amount as unknown as number);
}

export function formatNumber(value: number | string, locale: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value as unknown as number);
}

/** Seconds as "1 h 05 min", "12 min 30 s" or "45 s" (speech time, durations). */
export function formatSeconds(total: number | string): string {
  const s = Math.round(Number(total));
  if (!Number.isFinite(s) || s <= 0) return '0 s';
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h} h ${String(min).padStart(2, '0')} min`;
  if (min) return sec ? `${min} min ${String(sec).padStart(2, '0')} s` : `${min} min`;
  return `${sec} s`;
}

/** The time since the meeting started, as a player shows it: "04:07", "1:02:09". */
export function formatOffset(iso: string, startIso: string): string {
  const s = Math.max(0, Math.floor((Date.parse(iso) - Date.parse(startIso)) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h ? `${h}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}` : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

export function formatTime(iso: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone }).format(new Date(iso));
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}
