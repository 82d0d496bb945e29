import { useI18n } from '../i18n/I18nProvider';
import { MicIcon } from './icons';
import { orderParticipants, type ParticipantSummary } from '../roomParticipants';

const QUALITY_BARS: Record<ParticipantSummary['connectionQuality'], number> = {
  excellent: 3,
  good: 2,
  poor: 1,
  lost: 0,
  unknown: 0,
};

/** Who is in the meeting, with the AI assistant marked as such, microphones and connections. */
export function ParticipantList({ participants }: { participants: ParticipantSummary[] }) {
  const { language, messages: m } = useI18n();
  const ordered = orderParticipants(participants, language);
  return (
    <section data-testid="participant-list" aria-labelledby="participants-title" className="flex h-full flex-col gap-3">
      <h2 id="participants-title" className="text-lg font-semibold">
        {m.participants.heading(participants.length)}
      </h2>
      <ul className="space-y-2 overflow-y-auto">
        {ordered.map((p) => (
          <li key={p.identity} data-testid="participant" className="flex items-center gap-2 rounded-lg bg-slate-800 px-3 py-2">
            <span className={`min-w-0 flex-1 truncate ${p.speaking ? 'font-semibold text-emerald-300' : ''}`}>
              {p.name} {p.isLocal ? <span className="text-slate-400">{m.participants.you}</span> : null}
              {p.speaking ? <span className="sr-only">, {m.participants.speaking}</span> : null}
            </span>
            {p.isAgent ? (
              <span data-testid="ai-badge" className="rounded-full bg-violet-600 px-2 py-0.5 text-xs font-medium text-white">
                {m.participants.aiBadge}
              </span>
            ) : null}
            <span
              role="img"
              aria-label={p.microphoneOn ? m.participants.micOn : m.participants.micOff}
              className={p.microphoneOn ? 'text-slate-300' : 'text-red-400'}
            >
              <MicIcon off={!p.microphoneOn} />
            </span>
            <QualityBars quality={p.connectionQuality} label={m.participants.quality[p.connectionQuality]} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function QualityBars({ quality, label }: { quality: ParticipantSummary['connectionQuality']; label: string }) {
  const lit = QUALITY_BARS[quality];
  return (
    <span role="img" aria-label={label} title={label} className="flex h-3 items-end gap-px">
      {[1, 2, 3].map((bar) => (
        <span
          key={bar}
          className={`w-1 rounded-sm ${bar <= lit ? (lit === 1 ? 'bg-red-400' : 'bg-emerald-400') : 'bg-slate-600'}`}
          style={{ height: `${bar * 33}%` }}
        />
      ))}
    </span>
  );
}
