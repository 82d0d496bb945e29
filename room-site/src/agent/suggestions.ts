/**
 * What the AI assistant publishes on the LiveKit data topic `agent.suggestions`:
 * `{"type":"suggestion","text":string,"sources":[{"filename","page","similarity"}],"ts":iso}`.
 */
export const AGENT_SUGGESTIONS_TOPIC = 'agent.suggestions';

export interface SuggestionSource {
  filename: string;
  page: number | null;
  /** Cosine similarity of the quoted passage, 0..1. */
  similarity: number | null;
}

export interface Suggestion {
  id: string;
  text: string;
  sources: SuggestionSource[];
  /** ISO timestamp set by the agent; falls back to the time of arrival. */
  ts: string;
  /**
   * Optional: "extractive" when the agent quoted the knowledge base without a language model
   * (offline mode), so the panel can say so. Absent means generated.
   */
  mode: 'extractive' | 'generative' | null;
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

  const ts = typeof data.ts === 'string' && !Number.isNaN(Date.parse(data.ts)) ? data.ts : receivedAt.toISOString();
  const sources = Array.isArray(data.sources) ? data.sources.flatMap(toSource) : [];
  const mode = data.mode === 'extractive' || data.mode === 'generative' ? data.mode : null;
  return { id: `${ts}:${hash(data.text)}`, text: data.text.trim(), sources, ts, mode };
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
