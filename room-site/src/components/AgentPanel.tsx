import type { Suggestion } from '../agent/suggestions';
import { useI18n } from '../i18n/I18nProvider';
import { formatClockTime } from '../i18n/format';

/** What the AI assistant suggests during the meeting, newest first, with the documents quoted. */
export function AgentPanel({ suggestions, agentPresent }: { suggestions: Suggestion[]; agentPresent: boolean }) {
  const { language, messages: m } = useI18n();
  return (
    <section data-testid="agent-panel" aria-labelledby="agent-panel-title" className="flex h-full flex-col gap-3">
      <h2 id="agent-panel-title" className="text-lg font-semibold">
        {m.agent.heading}
      </h2>
      <p className="text-sm text-slate-300" data-testid="agent-presence">
        {agentPresent ? m.agent.present : m.agent.absent}
      </p>
      <ol aria-live="polite" aria-relevant="additions" className="flex-1 space-y-3 overflow-y-auto">
        {suggestions.length === 0 ? <li className="text-sm text-slate-400">{m.agent.empty}</li> : null}
        {suggestions.map((suggestion) => (
          <li key={suggestion.id} data-testid="agent-suggestion" className="rounded-xl bg-slate-800 p-3 ring-1 ring-slate-700">
            <p className="whitespace-pre-line text-slate-50">{suggestion.text}</p>
            {suggestion.mode === 'extractive' ? <p className="mt-1 text-xs text-amber-300">{m.agent.extractive}</p> : null}
            {suggestion.sources.length > 0 ? (
              <div className="mt-2 text-xs text-slate-300">
                <h3 className="font-medium">{m.agent.sources}</h3>
                <ul className="mt-1 space-y-0.5">
                  {suggestion.sources.map((source, index) => (
                    <li key={`${source.filename}:${source.page}:${index}`}>
                      <span className="font-mono">{source.filename}</span>
                      {source.page !== null ? `, ${m.agent.page(source.page)}` : ''}
                      {source.similarity !== null ? ` · ${m.agent.match(Math.round(source.similarity * 100))}` : ''}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <time dateTime={suggestion.ts} className="mt-2 block text-xs text-slate-400">
              {formatClockTime(suggestion.ts, language)}
            </time>
          </li>
        ))}
      </ol>
      <p className="text-xs text-slate-400">{m.agent.disclaimer}</p>
    </section>
  );
}
