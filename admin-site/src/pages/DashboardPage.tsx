import { useMemo } from 'react';
import { Link } from 'react-router';
import { PageTitle } from '../components/AppShell';
import { Badge, Empty, ErrorAlert, Loading } from '../components/Feedback';
import type { Document, Room } from '../api/types';
import { useAllEntities, useDocuments, useRooms, useStats, useUpcomingRooms, useUsageReport } from '../hooks/queries';
import { formatDateTime, formatNumber, formatRange, formatUsd } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';
import { monthRange } from '../usage/months';

function Card({ label, value, sub, testId }: { label: string; value: number; sub?: string; testId: string }) {
  return (
    <div className="card" data-testid={testId}>
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-3xl font-bold tabular-nums">{value}</p>
      {sub && <p className="mt-1 text-sm text-slate-600">{sub}</p>}
    </div>
  );
}

/** This month's (UTC) AI usage and cost, the API's totals, with a way to the usage page. */
function AiThisMonth({ now }: { now: string }) {
  const { messages: m, language } = useI18n();
  const range = useMemo(() => monthRange(new Date(now)), [now]);
  const usage = useUsageReport({ from_date: range.from, to_date: range.to, limit: 1 });
  return (
    <div className="card" data-testid="stat-ai">
      <p className="text-sm text-slate-600">{m.usage.thisMonth}</p>
      {usage.isPending ? <Loading /> : usage.isError ? <ErrorAlert error={usage.error} /> : (
        <>
          <p className="mt-1 text-3xl font-bold tabular-nums" data-testid="stat-ai-cost">{formatUsd(usage.data.totals.cost_usd, language)}</p>
          <p className="mt-1 text-sm text-slate-600" data-testid="stat-ai-sub">{m.usage.thisMonthSub(formatNumber(usage.data.totals.total_tokens, language), usage.data.total)}</p>
        </>
      )}
      <Link to="/usage" className="mt-2 inline-block text-sm text-sky-800 underline">{m.usage.seeUsage}</Link>
    </div>
  );
}

type Activity = { at: string; key: string; room?: Room; document?: Document };

/** What happened lately: meetings of the last 30 days (latest first, as the API lists them) and,
 * for an entity's admins, documents added to the knowledge base. */
function RecentActivity({ now, withDocuments }: { now: string; withDocuments: boolean }) {
  const { messages: m, language } = useI18n();
  const since = useMemo(() => new Date(Date.parse(now) - 30 * 24 * 3600 * 1000).toISOString(), [now]);
  const rooms = useRooms({ from: since, to: now, limit: 8 });
  const documents = useDocuments(undefined, withDocuments);
  const pending = rooms.isPending || (withDocuments && documents.isPending);
  const error = rooms.error ?? (withDocuments ? documents.error : null);
  const items: Activity[] = [
    ...(rooms.data?.items ?? []).map((r) => ({ at: r.scheduled_start, key: `r-${r.id}`, room: r })),
    ...(withDocuments ? documents.data?.items ?? [] : []).map((d) => ({ at: d.updated_at, key: `d-${d.id}`, document: d })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 8);
  return (
    <section className="card" aria-labelledby="recent-title">
      <h2 id="recent-title" className="mb-3 text-lg font-semibold">{m.dashboard.recent}</h2>
      {pending ? <Loading /> : error ? <ErrorAlert error={error} /> : items.length === 0 ? <Empty>{m.dashboard.noRecent}</Empty> : (
        <ul className="divide-y divide-slate-200" data-testid="recent-activity">
          {items.map((item) => (
            <li key={item.key} className="flex flex-wrap justify-between gap-3 py-2 text-sm" data-testid="activity">
              {item.room ? (
                <Link to={`/meetings/${item.room.id}`} className="font-medium text-sky-800 underline">{m.dashboard.meetingHeld(item.room.title)}</Link>
              ) : (
                <Link to="/knowledge" className="font-medium text-sky-800 underline">{m.dashboard.documentAdded(item.document!.filename)}</Link>
              )}
              <span className="text-slate-600">
                {item.room
                  ? <Badge tone={item.room.status}>{m.meetings.statuses[item.room.status]}</Badge>
                  : <Badge tone={item.document!.status}>{m.knowledge.status[item.document!.status] ?? item.document!.status}</Badge>}
                {' '}{formatDateTime(item.at, language, item.room?.timezone)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DashboardPage() {
  const { messages: m, language } = useI18n();
  const session = useSession();
  const manager = session?.user.role === 'MANAGER';
  const stats = useStats();
  const now = useMemo(() => new Date().toISOString(), []);
  const upcoming = useUpcomingRooms(5, now);
  const entities = useAllEntities();
  return (
    <div className="space-y-8">
      <PageTitle>{m.dashboard.title}</PageTitle>
      {stats.isPending ? <Loading /> : stats.isError ? <ErrorAlert error={stats.error} onRetry={() => stats.refetch()} /> : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="stats">
          {manager && <Card testId="stat-entities" label={m.dashboard.entities} value={stats.data.entities} sub={m.dashboard.activeEntities(stats.data.active_entities)} />}
          <Card testId="stat-meetings" label={m.dashboard.upcoming} value={stats.data.meetings_upcoming} sub={m.dashboard.activeNow(stats.data.meetings_active)} />
          <Card testId="stat-users" label={m.dashboard.activeUsers} value={stats.data.active_users} />
          <Card testId="stat-departments" label={m.dashboard.departments} value={stats.data.departments} />
          <Card testId="stat-professionals" label={m.dashboard.professionals} value={stats.data.professionals} />
          {!manager && <Card testId="stat-meetings-total" label={m.dashboard.meetings} value={stats.data.meetings_total} />}
          <AiThisMonth now={now} />
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card" aria-labelledby="upcoming-title">
          <h2 id="upcoming-title" className="mb-3 text-lg font-semibold">{m.dashboard.upcomingTitle}</h2>
          {upcoming.isPending ? <Loading /> : upcoming.isError ? <ErrorAlert error={upcoming.error} />
            : upcoming.data.items.length === 0 ? <Empty>{m.dashboard.noUpcoming}</Empty> : (
              <ul className="divide-y divide-slate-200" data-testid="upcoming">
                {upcoming.data.items.map((r) => (
                  <li key={r.id} className="py-2">
                    <Link to={`/meetings/${r.id}`} className="font-medium text-sky-800 underline">{r.title}</Link>
                    <p className="text-sm text-slate-600">{formatRange(r.scheduled_start, r.scheduled_end, language, r.timezone)} · {m.dashboard.participantCount(r.participant_count)}</p>
                  </li>
                ))}
              </ul>
            )}
        </section>
        <RecentActivity now={now} withDocuments={!manager} />
        {manager && (
          <section className="card" aria-labelledby="per-entity-title">
            <h2 id="per-entity-title" className="mb-3 text-lg font-semibold">{m.dashboard.perEntity}</h2>
            {entities.isPending ? <Loading /> : entities.isError ? <ErrorAlert error={entities.error} /> : (
              <table className="w-full text-left text-sm" data-testid="per-entity">
                <thead><tr><th scope="col" className="py-1">{m.entities.name}</th><th scope="col">{m.entities.departments}</th><th scope="col">{m.entities.statusFilter}</th></tr></thead>
                <tbody>
                  {entities.data.items.map((e) => (
                    <tr key={e.id} className="border-t border-slate-200">
                      <td className="py-2"><Link to={`/entities/${e.id}`} className="text-sky-800 underline">{e.name}</Link></td>
                      <td>{e.department_count}</td>
                      <td><Badge tone={e.active ? 'active' : 'inactive'}>{e.active ? m.common.active : m.common.inactive}</Badge></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
