import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ANSWER_TIMEOUT_MS, MAX_QUESTION_LENGTH, normalizeQuestion, type AskedQuestion } from '../agent/questions';
import { useMessages } from '../i18n/I18nProvider';

/**
 * A question typed to the AI assistant, and the questions still waiting for their answer
 * (answered ones leave this list: the answer, with its question, is in the panel).
 */
export function AskAssistantForm({
  questions,
  canAsk,
  onAsk,
  onDismiss,
}: {
  questions: AskedQuestion[];
  canAsk: boolean;
  onAsk: (text: string) => Promise<boolean>;
  onDismiss: (id: string) => void;
}) {
  const m = useMessages();
  const id = useId();
  const [draft, setDraft] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  const ready = canAsk && normalizeQuestion(draft) !== null;
  const waiting = questions.filter((q) => q.status !== 'answered');

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!ready) return;
    const text = draft;
    setDraft('');
    field.current?.focus(); // the button just became disabled: keep focus where typing goes on
    if (!(await onAsk(text))) setDraft((current) => current || text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-heading`} data-testid="ask-assistant" className="space-y-2 border-t border-slate-700 pt-3">
      <h3 id={`${id}-heading`} className="text-sm font-semibold">
        {m.agent.ask.heading}
      </h3>
      {waiting.length > 0 ? (
        <ul aria-live="polite" className="space-y-2">
          {waiting.map((question) => (
            <li key={question.id} data-testid="asked-question" data-status={question.status} className="rounded-lg bg-slate-800 p-2 text-sm">
              <p className="text-xs text-slate-400">{m.agent.ask.yourQuestion}</p>
              <p className="whitespace-pre-line break-words">{question.text}</p>
              <p className={`mt-1 text-xs ${question.status === 'pending' ? 'text-slate-300' : 'text-amber-300'}`}>
                {question.status === 'pending'
                  ? m.agent.ask.pending
                  : question.status === 'unanswered'
                    ? m.agent.ask.unanswered(Math.round(ANSWER_TIMEOUT_MS / 1000))
                    : m.agent.ask.failed}
              </p>
              {question.status !== 'pending' ? (
                <button type="button" className="mt-1 text-xs underline" onClick={() => onDismiss(question.id)}>
                  {m.agent.ask.dismiss}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={id} className="block text-sm text-slate-200">
        {m.agent.ask.label}
      </label>
      <textarea
        id={id}
        ref={field}
        data-testid="ask-input"
        rows={2}
        maxLength={MAX_QUESTION_LENGTH}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`${id}-hint${canAsk ? '' : ` ${id}-needs-agent`}`}
        className="block w-full resize-none rounded-lg border border-slate-600 bg-slate-900 px-3 py-2 text-slate-50"
      />
      <div className="flex items-center justify-between gap-2">
        <p id={`${id}-hint`} className="text-xs text-slate-400">
          {m.agent.ask.hint} {m.agent.ask.remaining(MAX_QUESTION_LENGTH - draft.length)}
        </p>
        <button type="submit" data-testid="ask-button" className="btn bg-sky-700 text-white hover:bg-sky-600" disabled={!ready}>
          {m.agent.ask.submit}
        </button>
      </div>
      {canAsk ? null : (
        <p id={`${id}-needs-agent`} className="text-xs text-amber-300">
          {m.agent.ask.needsAgent}
        </p>
      )}
    </form>
  );
}
