import type { Suggestion } from './suggestions';

/**
 * A participant's question to the AI assistant, published as a reliable data packet on the
 * LiveKit topic `agent.questions`: `{"type":"question","id":uuid,"text":string}`. The agent
 * answers with a suggestion of kind "answer" whose `in_reply_to` is that id.
 */
export const AGENT_QUESTIONS_TOPIC = 'agent.questions';
export const MAX_QUESTION_LENGTH = 500;
/** How long a question waits for its answer before the panel says none came. */
export const ANSWER_TIMEOUT_MS = 30_000;

export type QuestionStatus = 'pending' | 'answered' | 'unanswered' | 'failed';

export interface AskedQuestion {
  id: string;
  text: string;
  /** ISO time the question was sent. */
  askedAt: string;
  /** pending: waiting for the answer; unanswered: none came in time; failed: could not be sent. */
  status: QuestionStatus;
}

/** The text to send, or null when there is nothing to ask or it is too long. */
export function normalizeQuestion(text: string): string | null {
  const trimmed = text.trim();
  return trimmed && trimmed.length <= MAX_QUESTION_LENGTH ? trimmed : null;
}

const encoder = new TextEncoder();

export function encodeQuestion(id: string, text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify({ type: 'question', id, text }));
}

/** A v4 UUID; `crypto.randomUUID` only exists in secure contexts, getRandomValues everywhere. */
export function newQuestionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A question counts as answered once an answer naming it has arrived, even after the timeout. */
export function withAnswers(questions: AskedQuestion[], suggestions: Suggestion[]): AskedQuestion[] {
  const answered = new Set(suggestions.flatMap((s) => (s.kind === 'answer' && s.inReplyTo ? [s.inReplyTo] : [])));
  return questions.map((q) => (answered.has(q.id) && q.status !== 'answered' ? { ...q, status: 'answered' } : q));
}
