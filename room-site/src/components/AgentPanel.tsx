import type { AgentStatus } from '../agent/agentStatus';
import type { Suggestion } from '../agent/suggestions';
import type { AgentQuestions } from '../agent/useAgentQuestions';
import { useI18n } from '../i18n/I18nProvider';
import { formatClockTime } from '../i18n/format';
import { AskAssistantForm } from './AskAssistantForm';

const KIND_STYLE: Record<Suggestion['kind'], string> = {
  suggestion: 'bg-sky-800 text-sky-50',
  tip: 'bg-emerald-800 text-emerald-50',
  answer: 'bg-violet-700 text-violet-50',
};

/**
 * What the AI assistant suggests during the meeting, newest first, with the documents quoted:
 * suggestions, proactive tips and answers to questions (with the question). `status` is what
 * the assistant says about itself (offline modes); `questions` adds the "ask" form.
 */
export function AgentPanel({
  suggestions,
  agentPresent,
  status = null,
  questions,
}: {
  suggestions: Suggestion[];
  agentPresent: boolean;
  status?: AgentStatus | null;
  questions?: AgentQuestions;
}) {
  const { language, messages: m } = useI18n();
  const askedText = new Map(questions?.questions.map((q) => [q.id, q.text]));
  return (
    <section data-testid="agent-panel" aria-labelledby="agent-panel-title" className="flex h-full flex-col gap-3">
      <h2 id="agent-panel-title" className="text-lg font-semibold">
        {m.agent.heading}
      </h2>
      <p className="text-sm text-slate-300" data-testid="agent-presence">
        {agentPresent ? m.agent.present : m.agent.absent}
      </p>
      {agentPresent && status && (status.extractive || status.offlineSpeech) ? (
        <div data-testid="agent-offline-note" className="space-y-1 rounded-lg bg-amber-950 p-2 text-xs text-amber-200 ring-1 ring-amber-800">
          {status.extractive ? <p>{m.agent.offlineMode}</p> : null}
          {status.offlineSpeech ? <p>{m.agent.offlineSpeech(status.speechModel, status.speechLanguages)}</p> : null}
        </div>
      ) : null}
      <ol aria-live="polite" aria-relevant="additions" className="flex-1 space-y-3 overflow-y-auto">
        {suggestions.length === 0 ? <li className="text-sm text-slate-400">{m.agent.empty}</li> : null}
        {suggestions.map((suggestion) => {
          const question = suggestion.kind === 'answer' ? (suggestion.question ?? askedText.get(suggestion.inReplyTo ?? '') ?? null) : null;
          return (
            <li
              key={suggestion.id}
              data-testid="agent-suggestion"
              data-kind={suggestion.kind}
              className="rounded-xl bg-slate-800 p-3 ring-1 ring-slate-700"
            >
              <p className="mb-1">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${KIND_STYLE[suggestion.kind]}`}>
                  {m.agent.kind[suggestion.kind]}
                </span>
              </p>
              {question ? (
                <p className="mb-1 text-sm text-slate-300" data-testid="answered-question">
                  <span className="font-medium">{m.agent.question}:</span> {question}
                </p>
              ) : null}
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
          );
        })}
      </ol>
      {questions ? (
        <AskAssistantForm questions={questions.questions} canAsk={agentPresent} onAsk={questions.ask} onDismiss={questions.dismiss} />
      ) : null}
      <p className="text-xs text-slate-400">{m.agent.disclaimer}</p>
    </section>
  );
}
