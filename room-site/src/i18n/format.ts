/**
 * Meeting times in the participant's own time zone (the browser's), written the way their
 * language writes dates, with the zone named so nobody misreads an organiser's local time.
 */
export function formatMeetingTime(startIso: string, endIso: string, locale: string, timeZone?: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime())) return startIso;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(start);
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone });
  if (Number.isNaN(end.getTime())) return `${date}, ${time.format(start)}`;
  return `${date}, ${time.formatRange(start, end)}`;
}

export function formatClockTime(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
}
