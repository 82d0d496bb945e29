import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { PageTitle } from '../components/AppShell';
import { Empty, ErrorAlert, Loading, Pagination } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useAllEntities, useUsageReport } from '../hooks/queries';
import { formatDateTime, formatNumber, formatSeconds, formatUsd } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { Figure } from '../meetings/AgentUsage';
import { useSession } from '../Runtime';
import { formatMonth, monthsBack, utcDay } from '../usage/months';

const LIMIT = 20;
// The charting library is most of a chunk of its own: loaded with this page only.
const UsageChart = lazy(() => import('../usage/UsageChart').then((m) => ({ default: m.UsageChart })));

/** AI usage and cost per month, entity and meeting, over a range of UTC days; a MANAGER picks
 * the entity (or all), an entity's admin sees theirs. Every total is the API's. */
type Figures = { total_tokens: number; stt_seconds: string | number; cost_usd: string | number };

/** The tokens, speech and cost cells every usage table ends with. */
function FigureCells({ figures: x, language }: { figures: Figures; language: string }) {
  return (
    <>
      <td className="p-2 text-right tabular-nums">{formatNumber(x.total_tokens, language)}</td>
      <td className="p-2 text-right tabular-nums">{formatSeconds(x.stt_seconds)}</td>
      <td className="p-2 text-right tabular-nums">{formatUsd(x.cost_usd, language)}</td>
    </>
  );
}

export function UsagePage() {
  const { messages: m, language } = useI18n();
  const session = useSession();
  const manager = session?.user.role === 'MANAGER';
  const entities = useAllEntities();
  const today = useMemo(() => new Date(), []);
  const [entityId, setEntityId] = useState('');
  const [from, setFrom] = useState(() => monthsBack(today, 5));
  const [to, setTo] = useState(() => utcDay(today));
  const [page, setPage] = useState(1);
  const badRange = Boolean(from && to && to < from);
  const report = useUsageReport({
    ...(manager && entityId ? { entity_id: entityId } : {}),
    ...(from ? { from_date: from } : {}), ...(to ? { to_date: to } : {}), page, limit: LIMIT,
  }, !badRange);
  const r = report.data;
  const meetings = r?.total ?? 0;
  return (
    <section className="space-y-6" data-testid="usage-page">
      <PageTitle>{m.usage.title}</PageTitle>
      <p className="text-slate-700">{m.usage.intro}</p>
      <form className="card flex flex-wrap items-end gap-4" role="search" onSubmit={(e) => e.preventDefault()} data-testid="usage-filters">
        {manager ? (
          <SelectField label={m.usage.entity} className="min-w-56" value={entityId} data-testid="usage-entity"
            onChange={(e) => { setEntityId(e.target.value); setPage(1); }}>
            <option value="">{m.usage.allEntities}</option>
            {entities.data?.items.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
          </SelectField>
        ) : (
          <p className="min-w-56"><span className="label">{m.usage.entity}</span><span className="block py-2 font-medium">{session?.user.entity_name}</span></p>
        )}
        <TextField label={m.usage.from} type="date" value={from} max={to || undefined} onChange={(e) => { setFrom(e.target.value); setPage(1); }} />
        <TextField label={m.usage.to} type="date" value={to} min={from || undefined} onChange={(e) => { setTo(e.target.value); setPage(1); }}
          error={badRange ? m.usage.badRange : undefined} />
      </form>
      {badRange ? null : report.isPending ? <Loading /> : report.isError ? <ErrorAlert error={report.error} onRetry={() => report.refetch()} /> : r && (
        <>
          <section aria-labelledby="usage-totals-title" className="space-y-3">
            <h2 id="usage-totals-title" className="text-lg font-semibold">{m.usage.totals}</h2>
            <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="usage-totals">
              <Figure testId="total-cost" label={m.usage.cost} value={formatUsd(r.totals.cost_usd, language)} />
              <Figure testId="total-tokens" label={m.usage.tokens} value={formatNumber(r.totals.total_tokens, language)} />
              <Figure testId="total-speech" label={m.usage.speech} value={formatSeconds(r.totals.stt_seconds)} />
              <Figure testId="total-meetings" label={m.usage.meetings} value={formatNumber(meetings, language)}
                sub={`${m.usage.sessions}: ${formatNumber(r.totals.sessions, language)}`} />
            </dl>
          </section>
          {meetings === 0 ? <Empty>{m.usage.empty}</Empty> : (
            <>
              <section className="card space-y-3" aria-labelledby="usage-month-title">
                <h2 id="usage-month-title" className="text-lg font-semibold">{m.usage.perMonth}</h2>
                <Suspense fallback={<Loading />}>
                  <UsageChart months={r.by_month} from={from} to={to} />
                </Suspense>
                <table className="w-full text-left text-sm" data-testid="usage-by-month">
                  <thead className="bg-slate-100 text-slate-700">
                    <tr><th scope="col" className="p-2">{m.usage.month}</th><th scope="col" className="p-2 text-right">{m.usage.sessions}</th>
                      <th scope="col" className="p-2 text-right">{m.usage.tokens}</th><th scope="col" className="p-2 text-right">{m.usage.speech}</th>
                      <th scope="col" className="p-2 text-right">{m.usage.cost}</th></tr>
                  </thead>
                  <tbody>
                    {r.by_month.map((x) => (
                      <tr key={x.month} className="border-t border-slate-200">
                        <th scope="row" className="p-2 font-normal">{formatMonth(x.month, language)}</th>
                        <td className="p-2 text-right tabular-nums">{formatNumber(x.sessions, language)}</td>
                        <FigureCells figures={x} language={language} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              {manager && (
                <section className="card space-y-3" aria-labelledby="usage-entity-title">
                  <h2 id="usage-entity-title" className="text-lg font-semibold">{m.usage.perEntity}</h2>
                  <table className="w-full text-left text-sm" data-testid="usage-by-entity">
                    <thead className="bg-slate-100 text-slate-700">
                      <tr><th scope="col" className="p-2">{m.usage.entity}</th><th scope="col" className="p-2 text-right">{m.usage.tokens}</th>
                        <th scope="col" className="p-2 text-right">{m.usage.speech}</th><th scope="col" className="p-2 text-right">{m.usage.cost}</th></tr>
                    </thead>
                    <tbody>
                      {r.by_entity.map((x) => (
                        <tr key={x.entity_id} className="border-t border-slate-200">
                          <th scope="row" className="p-2 font-normal">{x.entity_name}</th>
                          <FigureCells figures={x} language={language} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              )}
              <section className="card space-y-3" aria-labelledby="usage-meeting-title">
                <h2 id="usage-meeting-title" className="text-lg font-semibold">{m.usage.perMeeting}</h2>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm" data-testid="usage-by-meeting">
                    <thead className="bg-slate-100 text-slate-700">
                      <tr><th scope="col" className="p-2">{m.usage.meeting}</th>{manager && <th scope="col" className="p-2">{m.usage.entity}</th>}
                        <th scope="col" className="p-2">{m.usage.date}</th><th scope="col" className="p-2 text-right">{m.usage.tokens}</th>
                        <th scope="col" className="p-2 text-right">{m.usage.speech}</th><th scope="col" className="p-2 text-right">{m.usage.cost}</th></tr>
                    </thead>
                    <tbody>
                      {r.items.map((x) => (
                        <tr key={x.room_id} className="border-t border-slate-200" data-testid="usage-meeting">
                          <th scope="row" className="p-2 font-normal"><Link to={`/meetings/${x.room_id}`} className="text-sky-800 underline">{x.title}</Link></th>
                          {manager && <td className="p-2">{x.entity_name}</td>}
                          <td className="p-2">{formatDateTime(x.first_started_at, language)}</td>
                          <FigureCells figures={x} language={language} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pagination page={r.page} limit={r.limit} total={r.total} onPage={setPage} />
              </section>
            </>
          )}
        </>
      )}
    </section>
  );
}
