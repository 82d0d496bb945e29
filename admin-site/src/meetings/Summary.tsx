import { Empty, ErrorAlert, Loading } from '../components/Feedback';
import { useSummary } from '../hooks/queries';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';

/** The assistant's notes of the meeting and its action items; "not yet" until it wrote them. */
export function Summary({ roomId, timeZone }: { roomId: string; timeZone: string }) {
  const { messages: m, language } = useI18n();
  const summary = useSummary(roomId);
  return (
    <section className="card space-y-3" aria-labelledby="summary-title" data-testid="summary">
      <h2 id="summary-title" className="text-lg font-semibold">{m.record.summary}</h2>
      {summary.isPending ? <Loading /> : summary.isError ? <ErrorAlert error={summary.error} onRetry={() => summary.refetch()} />
        : summary.data === null ? <Empty>{m.record.noSummary}</Empty> : (
          <>
            <p className="whitespace-pre-wrap" data-testid="summary-text">{summary.data.summary}</p>
            <h3 className="font-semibold">{m.record.actionItems}</h3>
            {summary.data.action_items.length === 0 ? <p className="text-slate-600">{m.record.noActionItems}</p> : (
              <ul className="list-disc space-y-1 pl-5" data-testid="action-items">
                {summary.data.action_items.map((item, i) => <li key={i}>{item}</li>)}
              </ul>
            )}
            <p className="text-sm text-slate-600">
              {m.record.summaryBy(summary.data.mode, summary.data.model)} · {formatDateTime(summary.data.updated_at, language, timeZone)}
            </p>
          </>
        )}
    </section>
  );
}
