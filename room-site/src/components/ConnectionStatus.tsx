import { useMessages } from '../i18n/I18nProvider';
import type { ConnectionPhase } from '../meetingExit';

const LOOK: Record<ConnectionPhase, string> = {
  connected: 'bg-emerald-900/60 text-emerald-100',
  connecting: 'bg-slate-700 text-slate-100',
  reconnecting: 'bg-amber-400 text-amber-950 font-semibold animate-pulse',
  disconnected: 'bg-red-700 text-white',
};

/**
 * The connection to the meeting in words. The visible text is in the participant's language;
 * the `connection-state` element carries the stable state name for tools and browser tests.
 */
export function ConnectionStatus({ phase }: { phase: ConnectionPhase }) {
  const m = useMessages();
  return (
    <div className="flex items-center">
      <span data-testid="connection-state" data-state={phase} aria-hidden="true" className="sr-only">
        {phase}
      </span>
      <p role="status" aria-live="polite" className={`rounded-full px-3 py-1 text-sm ${LOOK[phase]}`}>
        {m.meeting.state[phase]}
      </p>
    </div>
  );
}
