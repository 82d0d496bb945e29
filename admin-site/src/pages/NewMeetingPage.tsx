import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { idempotencyHeaders } from '../api/client';
import { ApiError } from '../api/errors';
import { hasField, type RoomCreate } from '../api/types';
import { PageTitle } from '../components/AppShell';
import { useScopeEntity } from '../components/EntityPicker';
import { ErrorAlert, fieldError } from '../components/Feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../components/Field';
import { useCreateRoom, useDepartments, useEntity } from '../hooks/queries';
import { isoToZonedLocal } from '../i18n/format';
import { useMessages } from '../i18n/I18nProvider';
import { ParticipantRows } from '../meetings/ParticipantRows';
import { checkRow, emptyRow, isBlank, toParticipants, type ParticipantRow } from '../meetings/participants';
import { useSession } from '../Runtime';

const INSTRUCTIONS_MAX = 8000;

function nextHalfHour(): Date {
  const d = new Date(Date.now() + 60 * 60 * 1000);
  d.setMinutes(d.getMinutes() < 30 ? 30 : 60, 0, 0);
  return d;
}

export function NewMeetingPage() {
  const m = useMessages();
  const navigate = useNavigate();
  const session = useSession();
  const { entityId, picker } = useScopeEntity();
  const admin = session?.user.role !== 'PROFESSIONAL';
  // Professionals cannot read their entity; the API then reads the times in the entity's zone.
  const entity = useEntity(admin ? entityId : undefined);
  const departments = useDepartments(entityId);
  const timeZone = entity.data?.timezone;
  const defaults = useMemo(() => {
    const start = nextHalfHour();
    const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return { start: isoToZonedLocal(start, zone), end: isoToZonedLocal(new Date(start.getTime() + 30 * 60 * 1000), zone) };
  }, [timeZone]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState<string | null>(null);
  const [end, setEnd] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState('');
  const [instructions, setInstructions] = useState('');
  const [maxParticipants, setMaxParticipants] = useState('');
  const [assistant, setAssistant] = useState(true);
  const [record, setRecord] = useState(true);
  const [rows, setRows] = useState<ParticipantRow[]>(() => [emptyRow()]);
  const [tried, setTried] = useState(false);
  const create = useCreateRoom();
  // One key per meeting being scheduled: a second click or a retry does not schedule it twice.
  const key = useRef(idempotencyHeaders()['Idempotency-Key']);
  const startValue = start ?? defaults.start;
  const endValue = end ?? defaults.end;
  const endProblem = endValue <= startValue ? m.meetings.endBeforeStart : undefined;
  const rowsOk = rows.every((r) => isBlank(r) || Object.keys(checkRow(r)).length === 0);
  const apiFields = create.error instanceof ApiError ? create.error.fields : {};
  const withAssistant = hasField('RoomCreate', 'assistant_enabled');
  // Only an entity that records meetings offers the choice (a meeting may only turn it off).
  const withRecord = hasField('RoomCreate', 'record') && entity.data?.record_meetings === true;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!title.trim() || endProblem || !rowsOk || instructions.length > INSTRUCTIONS_MAX) return;
    const body: Record<string, unknown> = {
      title: title.trim(),
      description: description.trim() || null,
      // Wall-clock times in the entity's zone; the API reads a time without offset in `timezone`.
      scheduled_start: `${startValue}:00`,
      scheduled_end: `${endValue}:00`,
      ...(timeZone ? { timezone: timeZone } : {}),
      department_id: departmentId || null,
      custom_instructions: instructions.trim() || null,
      max_participants: maxParticipants ? Number(maxParticipants) : null,
      participants: toParticipants(rows),
      ...(session?.user.role === 'MANAGER' && entityId ? { entity_id: entityId } : {}),
      ...(withAssistant ? { assistant_enabled: assistant } : {}),
      ...(withRecord ? { record } : {}),
    };
    create.mutate({ body: body as unknown as RoomCreate, key: key.current }, {
      onSuccess: (room) => navigate(`/meetings/${room.id}`, { state: { scheduled: true } }),
    });
  };

  return (
    <section className="max-w-4xl">
      <PageTitle>{m.meetings.formTitle}</PageTitle>
      <form onSubmit={submit} className="card space-y-5" noValidate data-testid="meeting-form">
        <ErrorAlert error={create.error} shownFields={Object.keys(apiFields).filter((f) =>
          ['title', 'description', 'scheduled_start', 'scheduled_end', 'department_id', 'custom_instructions', 'max_participants'].includes(f) || f.startsWith('participants.'))} />
        {picker}
        <TextField label={m.meetings.meetingTitle} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200}
          error={fieldError(create.error, 'title') ?? (tried && !title.trim() ? m.common.required : undefined)} />
        <TextAreaField label={<>{m.meetings.description} <span className="font-normal text-slate-500">{m.common.optional}</span></>}
          value={description} onChange={(e) => setDescription(e.target.value)} maxLength={4000} rows={3}
          error={fieldError(create.error, 'description')} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={m.meetings.start} type="datetime-local" value={startValue} onChange={(e) => setStart(e.target.value)} required
            error={fieldError(create.error, 'scheduled_start')} />
          <TextField label={m.meetings.end} type="datetime-local" value={endValue} onChange={(e) => setEnd(e.target.value)} required
            error={fieldError(create.error, 'scheduled_end') ?? (tried ? endProblem : undefined)} />
        </div>
        <p className="text-sm text-slate-600" data-testid="meeting-timezone">{m.meetings.timezone(timeZone ?? m.meetings.entityZone)}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={m.meetings.department} value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}
            error={fieldError(create.error, 'department_id')}>
            <option value="">{m.meetings.noDepartment}</option>
            {departments.data?.filter((d) => d.active).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </SelectField>
          <TextField label={m.meetings.maxParticipants} type="number" min={1} max={entity.data?.max_participants ?? 100}
            value={maxParticipants} placeholder={entity.data ? String(entity.data.max_participants) : ''}
            onChange={(e) => setMaxParticipants(e.target.value)} error={fieldError(create.error, 'max_participants')} />
        </div>
        <TextAreaField label={m.meetings.customInstructions} value={instructions} onChange={(e) => setInstructions(e.target.value)}
          maxLength={INSTRUCTIONS_MAX} rows={4} error={fieldError(create.error, 'custom_instructions')} />
        {withAssistant && (
          <CheckboxField label={m.meetings.assistant} checked={assistant} onChange={(e) => setAssistant(e.target.checked)}
            error={fieldError(create.error, 'assistant_enabled')} data-testid="assistant-switch" />
        )}
        {withRecord && (
          <div>
            <CheckboxField label={m.meetings.record} checked={record} onChange={(e) => setRecord(e.target.checked)}
              error={fieldError(create.error, 'record')} data-testid="record-switch" aria-describedby="record-hint" />
            <p id="record-hint" className="ml-7 mt-1 text-sm text-slate-600" data-testid="record-hint">{record ? m.meetings.recordHint : m.meetings.recordOff}</p>
          </div>
        )}
        <ParticipantRows rows={rows} onChange={setRows} showProblems={tried} apiErrors={apiFields} />
        <button type="submit" className="btn-primary" disabled={create.isPending} data-testid="schedule-submit">{m.meetings.submit}</button>
      </form>
    </section>
  );
}
