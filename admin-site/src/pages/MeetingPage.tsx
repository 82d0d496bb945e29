import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { idempotencyHeaders } from '../api/client';
import { ApiError } from '../api/errors';
import type { RoomDetail, RoomParticipant } from '../api/types';
import { PageTitle } from '../components/AppShell';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, ErrorAlert, Loading, Notice } from '../components/Feedback';
import { useAddParticipants, useCancelRoom, useResend, useRoom } from '../hooks/queries';
import { formatDateTime, formatRange } from '../i18n/format';
import { useI18n, useMessages } from '../i18n/I18nProvider';
import { MeetingRecord } from '../meetings/MeetingRecord';
import { ParticipantRows } from '../meetings/ParticipantRows';
import { checkRow, emptyRow, isBlank, toParticipants, type ParticipantRow } from '../meetings/participants';

function Delivery({ status, channel }: { status: string | null; channel: string | null }) {
  const m = useMessages();
  if (!channel) return <span className="text-slate-500">{m.common.none}</span>;
  const label = status ? m.meetings.deliveries[status] ?? status : m.meetings.deliveries.queued;
  const tone = status === 'failed' ? 'failed' : status === 'sent' || status === 'delivered' || status === 'read' ? 'completed' : 'pending';
  return <Badge tone={tone}>{label}</Badge>;
}

function ParticipantsTable({ room }: { room: RoomDetail }) {
  const { messages: m, language } = useI18n();
  const resend = useResend(room.id);
  const [resent, setResent] = useState<string | null>(null);
  const open = room.status === 'SCHEDULED' || room.status === 'ACTIVE';
  return (
    <div className="space-y-3">
      {resent && <Notice>{m.meetings.resent(resent)}</Notice>}
      <ErrorAlert error={resend.error} />
      <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
        <table className="w-full text-left text-sm" data-testid="participants-table">
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="p-3">{m.meetings.participantName}</th>
              <th scope="col" className="p-3">{m.meetings.joinStatus}</th>
              <th scope="col" className="p-3">{m.meetings.emailStatus}</th>
              <th scope="col" className="p-3">{m.meetings.whatsappStatus}</th>
              <th scope="col" className="p-3"><span className="sr-only">{m.meetings.resend}</span></th>
            </tr>
          </thead>
          <tbody>
            {room.participants.map((p: RoomParticipant) => (
              <tr key={p.id} className="border-t border-slate-200" data-testid="participant">
                <td className="p-3">
                  <div className="font-medium">{p.name}</div>
                  <div className="text-slate-600">{[p.email, p.phone].filter(Boolean).join(' · ')}</div>
                </td>
                <td className="p-3">{p.joined_at ? m.meetings.joinedAt(formatDateTime(p.joined_at, language, room.timezone)) : m.meetings.notJoined}</td>
                <td className="p-3" data-testid="email-status"><Delivery status={p.email_status} channel={p.email} /></td>
                <td className="p-3" data-testid="whatsapp-status"><Delivery status={p.whatsapp_status} channel={p.phone} /></td>
                <td className="p-3 text-right">
                  {open && (
                    <button type="button" className="btn-secondary py-1" disabled={resend.isPending}
                      aria-label={`${m.meetings.resend}: ${p.name}`}
                      onClick={() => resend.mutate(p.id, { onSuccess: () => setResent(p.name) })}>
                      {m.meetings.resend}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function AddParticipants({ room }: { room: RoomDetail }) {
  const m = useMessages();
  const add = useAddParticipants(room.id);
  const [rows, setRows] = useState<ParticipantRow[]>(() => [emptyRow()]);
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState(false);
  const key = useRef(idempotencyHeaders()['Idempotency-Key']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setDone(false);
    const filled = rows.filter((r) => !isBlank(r));
    if (filled.length === 0 || !filled.every((r) => Object.keys(checkRow(r)).length === 0)) return;
    add.mutate({ participants: toParticipants(rows), key: key.current }, {
      onSuccess: () => {
        setRows([emptyRow()]);
        setTried(false);
        setDone(true);
        key.current = idempotencyHeaders()['Idempotency-Key'];
      },
    });
  };
  const apiFields = add.error instanceof ApiError ? add.error.fields : {};
  return (
    <form onSubmit={submit} noValidate className="card space-y-4" data-testid="add-participants-form">
      <h2 className="text-lg font-semibold">{m.meetings.addParticipants}</h2>
      {done && <Notice>{m.meetings.added}</Notice>}
      <ErrorAlert error={add.error} shownFields={Object.keys(apiFields).filter((f) => f.startsWith('participants.'))} />
      <ParticipantRows rows={rows} onChange={setRows} showProblems={tried} apiErrors={apiFields} />
      <button type="submit" className="btn-primary" disabled={add.isPending}>{m.meetings.addParticipants}</button>
    </form>
  );
}

export function MeetingPage() {
  const { messages: m, language } = useI18n();
  const { roomId } = useParams();
  const location = useLocation();
  const room = useRoom(roomId);
  const cancel = useCancelRoom(roomId ?? '');
  const [confirming, setConfirming] = useState(false);
  if (room.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => room.refetch()} />;
  const r = room.data;
  const open = r.status === 'SCHEDULED' || r.status === 'ACTIVE';
  const justScheduled = (location.state as { scheduled?: boolean } | null)?.scheduled;
  return (
    <section className="space-y-6" data-testid="meeting-page">
      <Link to="/meetings" className="text-sm text-sky-800 underline">← {m.meetings.back}</Link>
      <PageTitle actions={open && (
        <button type="button" className="btn-danger" onClick={() => setConfirming(true)} data-testid="cancel-meeting">{m.meetings.cancelMeeting}</button>
      )}>
        {r.title} <Badge tone={r.status}><span data-testid="meeting-status">{m.meetings.statuses[r.status]}</span></Badge>
      </PageTitle>
      {justScheduled && r.status === 'SCHEDULED' && <Notice>{m.meetings.scheduled}</Notice>}
      {cancel.isSuccess && <Notice>{m.meetings.cancelled}</Notice>}
      <ErrorAlert error={cancel.error} />
      <dl className="card grid gap-3 sm:grid-cols-2">
        <div><dt className="text-sm text-slate-600">{m.meetings.when}</dt><dd>{formatRange(r.scheduled_start, r.scheduled_end, language, r.timezone)} ({r.timezone})</dd></div>
        <div><dt className="text-sm text-slate-600">{m.meetings.organizer}</dt><dd>{r.organizer_name}</dd></div>
        {r.description && <div className="sm:col-span-2"><dt className="text-sm text-slate-600">{m.meetings.description}</dt><dd className="whitespace-pre-wrap">{r.description}</dd></div>}
        <div><dt className="text-sm text-slate-600">{m.meetings.maxParticipants}</dt><dd>{r.max_participants}</dd></div>
        <div><dt className="text-sm text-slate-600">{m.record.recorded}</dt><dd data-testid="meeting-recorded">{r.record ? m.record.recordedYes : m.record.recordedNo}</dd></div>
        {r.custom_instructions && <div className="sm:col-span-2"><dt className="text-sm text-slate-600">{m.meetings.customInstructions}</dt><dd className="whitespace-pre-wrap">{r.custom_instructions}</dd></div>}
      </dl>
      <h2 className="text-lg font-semibold">{m.meetings.participants}</h2>
      <ParticipantsTable room={r} />
      {open && <AddParticipants room={r} />}
      {(r.status === 'ACTIVE' || r.status === 'COMPLETED' || r.started_at) && <MeetingRecord room={r} />}
      {confirming && (
        <ConfirmDialog title={m.meetings.cancelTitle(r.title)} body={m.meetings.cancelBody} confirmLabel={m.meetings.cancelMeeting}
          busy={cancel.isPending} onCancel={() => setConfirming(false)}
          onConfirm={() => cancel.mutate(undefined, { onSettled: () => setConfirming(false) })} />
      )}
    </section>
  );
}
