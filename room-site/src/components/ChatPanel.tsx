import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMessages } from '../i18n/I18nProvider';

export interface ChatLine {
  id: string;
  sender: string;
  mine: boolean;
  text: string;
  time: string;
}

/** Text chat with everyone in the meeting. */
export function ChatPanel({
  lines,
  onSend,
  sending,
}: {
  lines: ChatLine[];
  onSend: (text: string) => Promise<void>;
  sending: boolean;
}) {
  const m = useMessages();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [failed, setFailed] = useState(false);
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [lines.length]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    try {
      await onSend(text);
      setDraft('');
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }

  return (
    <section data-testid="chat-panel" aria-labelledby={`${id}-title`} className="flex h-full flex-col gap-3">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {m.chat.heading}
      </h2>
      <ol aria-live="polite" aria-relevant="additions" className="flex-1 space-y-2 overflow-y-auto">
        {lines.length === 0 ? <li className="text-sm text-slate-400">{m.chat.empty}</li> : null}
        {lines.map((line) => (
          <li key={line.id} className={`rounded-lg px-3 py-2 ${line.mine ? 'bg-sky-900' : 'bg-slate-800'}`}>
            <p className="text-xs text-slate-300">
              <span className="font-medium">{line.sender}</span> · <span>{line.time}</span>
            </p>
            <p className="whitespace-pre-line break-words">{line.text}</p>
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
      <form onSubmit={submit} className="space-y-2">
        <label htmlFor={id} className="sr-only">
          {m.chat.inputLabel}
        </label>
        <div className="flex gap-2">
          <input
            id={id}
            data-testid="chat-input"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder={m.chat.inputLabel}
            className="min-w-0 flex-1 rounded-lg border border-slate-600 bg-slate-900 px-3 py-2 text-slate-50"
            autoComplete="off"
          />
          <button type="submit" className="btn bg-sky-700 text-white hover:bg-sky-600" disabled={sending || !draft.trim()}>
            {m.chat.send}
          </button>
        </div>
        <p role="alert" className="text-sm text-red-300">
          {failed ? m.chat.sendFailed : null}
        </p>
      </form>
    </section>
  );
}
