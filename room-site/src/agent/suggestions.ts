/**
 * What the AI assistant publishes on the LiveKit data topic `agent.suggestions` (reliable data
 * packets, UTF-8 JSON):
 * `{"type":"suggestion","kind":"suggestion"|"tip"|"answer","id":string,"text":string,
 *   "sources":[{"filename","page","similarity"}],"ts":iso,"mode":"extractive"|"generative",
 *   "in_reply_to":string|null,"question":string|null}`.
 * Only `type` and `text` are required: the first agents sent no `kind`, `id` or reply fields.
 */
export const AGENT_SUGGESTIONS_TOPIC = 'agent.suggestions';

export const SUGGESTION_KINDS = ['suggestion', 'tip', 'answer'] as const;
/** suggestion: prompted by what was said; tip: proactive; answer: to a participant's question. */
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface SuggestionSource {
  filename: string;
  page: number | null;
  /** Cosine similarity of the quoted passage, 0..1. */
  similarity: number | null;
}

export interface Suggestion {
  /** The agent's id when it sends one, otherwise derived from the time and the text. */
  id: string;
  kind: SuggestionKind;
  text: string;
  sources: SuggestionSource[];
  /** ISO timestamp set by the agent; falls back to the time of arrival. */
  ts: string;
  /**
   * "extractive" when the agent quoted the knowledge base without a language model (offline
   * mode), so the panel can say so; "generative" or absent means generated.
   */
  mode: 'extractive' | 'generative' | null;
  /** For answers: the id of the question (sent on `agent.questions`) this one answers. */
  inReplyTo: string | null;
  /** For answers: the question's text, as the agent received it. */
  question: string | null;
}

const decoder = new TextDecoder();

/** Decodes one data message; anything that is not a well-formed suggestion gives null. */
export function decodeSuggestion(payload: Uint8Array, receivedAt = new Date()): Suggestion | null {
  let message: unknown;
  try {
    message = JSON.parse(decoder.decode(payload));
  } catch {
    return null;
  }
  if (!message || typeof message !== 'object') return null;
  const data = message as Record<string, unknown>;
  if (data.type !== 'suggestion' || typeof data.text !== 'string' || !data.text.trim()) return null;
  // A kind this client does not know yet is shown as a plain suggestion rather than dropped.
  const kind = (SUGGESTION_KINDS as readonly unknown[]).includes(data.kind) ? (data.kind as SuggestionKind) : 'suggestion';

  const ts = typeof data.ts === 'string' && !Number.isNaN(Date.parse(data.ts)) ? data.ts : receivedAt.toISOString();
  const sources = Array.isArray(data.sources) ? data.sources.flatMap(toSource) : [];
  const mode = data.mode === 'extractive' || data.mode === 'generative' ? data.mode : null;
  const id = nonEmpty(data.id) ?? `${ts}:${hash(data.text)}`;
  return {
    id,
    kind,
    text: data.text.trim(),
    sources,
    ts,
    mode,
    inReplyTo: nonEmpty(data.in_reply_to),
    question: nonEmpty(data.question),
  };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function toSource(value: unknown): SuggestionSource[] {
  if (!value || typeof value !== 'object') return [];
  const source = value as Record<string, unknown>;
  if (typeof source.filename !== 'string' || !source.filename) return [];
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return [{ filename: source.filename, page: number(source.page), similarity: number(source.similarity) }];
}

function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** Newest first, without duplicates (the agent may resend on reconnect), at most `limit`. */
export function addSuggestion(list: Suggestion[], suggestion: Suggestion, limit = 50): Suggestion[] {
  if (list.some((existing) => existing.id === suggestion.id)) return list;
  return [suggestion, ...list].slice(0, limit);
}
