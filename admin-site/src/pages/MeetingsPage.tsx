import { useState } from 'react';
import { Link } from 'react-router';
import type { RoomStatus } from '../api/types';
import { PageTitle } from '../components/AppShell';
import { useScopeEntity } from '../components/EntityPicker';
import { Badge, Empty, ErrorAlert, Loading, Pagination } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useRooms } from '../hooks/queries';
import { formatRange } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';

const STATUSES: RoomStatus[] = ['SCHEDULED', 'ACTIVE', 'COMPLETED', 'CANCELLED'];

/** Start of a day (yyyy-mm-dd) in the browser's zone, as an ISO instant for the API's filter. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function MeetingsPage() {
  const { messages: m, language } = useI18n();
  const session = useSession();
  const { entityId, picker } = useScopeEntity();
  const [status, setStatus] = useState<RoomStatus | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const manager = session?.user.role === 'MANAGER';
  const rooms = useRooms({
    status: status || undefined, from: dayStart(from), to: dayStart(to, 1), page,
    ...(manager && entityId ? { entity_id: entityId } : {}),
  });
  const newLink = manager && entityId ? `/meetings/new?entity=${entityId}` : '/meetings/new';
  return (
    <section>
      <PageTitle actions={<Link to={newLink} className="btn-primary" data-testid="new-meeting">{m.meetings.new}</Link>}>
        {m.meetings.title}
      </PageTitle>
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search">
        {picker}
        <SelectField label={m.meetings.status} value={status} data-testid="status-filter"
          onChange={(e) => { setStatus(e.target.value as RoomStatus | ''); setPage(1); }}>
          <option value="">{m.common.all}</option>
          {STATUSES.map((s) => <option key={s} value={s}>{m.meetings.statuses[s]}</option>)}
        </SelectField>
        <TextField label={m.meetings.from} type="date" value={from} onChange={(e) => { setFrom(e.target.value); setPage(1); }} />
        <TextField label={m.meetings.to} type="date" value={to} onChange={(e) => { setTo(e.target.value); setPage(1); }} />
      </div>
      {rooms.isPending ? <Loading /> : rooms.isError ? <ErrorAlert error={rooms.error} onRetry={() => rooms.refetch()} />
        : rooms.data.items.length === 0 ? <Empty>{m.meetings.empty}</Empty> : (
          <>
            <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
              <table className="w-full text-left text-sm" data-testid="meetings-table">
                <thead className="bg-slate-100 text-slate-700">
                  <tr>
                    <th scope="col" className="p-3">{m.meetings.titleCol}</th>
                    <th scope="col" className="p-3">{m.meetings.when}</th>
                    <th scope="col" className="p-3">{m.meetings.status}</th>
                    <th scope="col" className="p-3">{m.meetings.participants}</th>
                    <th scope="col" className="p-3">{m.meetings.organizer}</th>
                  </tr>
                </thead>
                <tbody>
                  {rooms.data.items.map((room) => (
                    <tr key={room.id} className="border-t border-slate-200" data-testid="meeting-row">
                      <td className="p-3 font-medium"><Link className="text-sky-800 underline" to={`/meetings/${room.id}`}>{room.title}</Link></td>
                      <td className="p-3">{formatRange(room.scheduled_start, room.scheduled_end, language, room.timezone)}</td>
                      <td className="p-3"><Badge tone={room.status}>{m.meetings.statuses[room.status]}</Badge></td>
                      <td className="p-3">{room.participant_count}</td>
                      <td className="p-3">{room.organizer_name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={rooms.data.page} limit={rooms.data.limit} total={rooms.data.total} onPage={setPage} />
          </>
        )}
    </section>
  );
}
