import { useCaptions } from '../agent/useCaptions';
import { useMessages } from '../i18n/I18nProvider';

/**
 * The caption strip over the video: the last few things said, as "Name: text". It keeps
 * listening while hidden, so switching captions on shows what was just said.
 */
export function LiveCaptions({ visible, localName, offlineNote }: { visible: boolean; localName: string; offlineNote: string | null }) {
  const m = useMessages();
  const lines = useCaptions(3, localName);
  if (!visible) return null;
  return (
    <section
      aria-label={m.captions.region}
      data-testid="live-captions"
      className="pointer-events-none absolute inset-x-0 bottom-3 z-10 mx-auto flex max-w-3xl flex-col items-center px-4"
    >
      {/* Interim lines are hidden from screen readers; each is announced once, when final. */}
      <ol aria-live="polite" className="w-full space-y-0.5 rounded-lg bg-black/80 px-3 py-2 text-base leading-snug text-white">
        {lines.length === 0 ? <li className="text-slate-300">{m.captions.waiting}</li> : null}
        {lines.map((line) => (
          <li key={line.id} data-testid="caption-line" data-final={line.final} aria-hidden={line.final ? undefined : true}>
            <span className="font-semibold">{line.speaker ?? m.captions.someone}:</span>{' '}
            <span className={line.final ? '' : 'text-slate-300'}>{line.text}</span>
          </li>
        ))}
      </ol>
      {offlineNote ? <p className="mt-1 rounded bg-black/70 px-2 text-xs text-slate-200">{offlineNote}</p> : null}
    </section>
  );
}
