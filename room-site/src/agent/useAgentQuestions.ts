import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMaybeRoomContext } from '@livekit/components-react';
import {
  AGENT_QUESTIONS_TOPIC,
  ANSWER_TIMEOUT_MS,
  encodeQuestion,
  newQuestionId,
  normalizeQuestion,
  withAnswers,
  type AskedQuestion,
} from './questions';
import type { Suggestion } from './suggestions';

export interface AgentQuestions {
  /** Questions this participant asked, oldest first, each with where it stands. */
  questions: AskedQuestion[];
  /** Sends a question; false when there was nothing valid to send or publishing failed. */
  ask: (text: string) => Promise<boolean>;
  /** Forgets a question (one that was answered, never answered or could not be sent). */
  dismiss: (id: string) => void;
}

/**
 * Questions typed to the AI assistant: published on `agent.questions`, then matched with the
 * answers among `suggestions` (by `in_reply_to`), or marked unanswered after `timeoutMs`.
 */
export function useAgentQuestions(suggestions: Suggestion[], timeoutMs = ANSWER_TIMEOUT_MS): AgentQuestions {
  const room = useMaybeRoomContext();
  const [asked, setAsked] = useState<AskedQuestion[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const update = useCallback((id: string, status: AskedQuestion['status'], onlyIf?: AskedQuestion['status']) => {
    setAsked((list) => list.map((q) => (q.id === id && (!onlyIf || q.status === onlyIf) ? { ...q, status } : q)));
  }, []);

  const ask = useCallback(
    async (raw: string) => {
      const text = normalizeQuestion(raw);
      if (!text || !room) return false;
      const question: AskedQuestion = { id: newQuestionId(), text, askedAt: new Date().toISOString(), status: 'pending' };
      setAsked((list) => [...list, question]);
      try {
        await room.localParticipant.publishData(encodeQuestion(question.id, text), {
          reliable: true,
          topic: AGENT_QUESTIONS_TOPIC,
        });
      } catch {
        update(question.id, 'failed');
        return false;
      }
      timers.current.set(
        question.id,
        setTimeout(() => {
          timers.current.delete(question.id);
          update(question.id, 'unanswered', 'pending');
        }, timeoutMs),
      );
      return true;
    },
    [room, timeoutMs, update],
  );

  const dismiss = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setAsked((list) => list.filter((q) => q.id !== id));
  }, []);

  const questions = useMemo(() => withAnswers(asked, suggestions), [asked, suggestions]);
  return { questions, ask, dismiss };
}
