import type { ReactNode } from 'react';

/** `text` cut into the parts that match `query` (case-insensitive, as the API's search) and
 * the parts between them. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim();
  if (!q) return [{ text, match: false }];
  const pattern = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), match: false });
    parts.push({ text: m[0], match: true });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** The text with every match of `query` in a <mark> (text nodes only: never HTML from data). */
export function Highlight({ text, query }: { text: string; query: string }): ReactNode {
  return splitMatches(text, query).map((part, i) =>
    part.match ? <mark key={i} className="rounded bg-amber-200 px-0.5 text-slate-900">{part.text}</mark> : <span key={i}>{part.text}</span>);
}
