import { useState, type FormEvent } from 'react';
import { hasField, type Entity, type EntityCreate } from '../api/types';
import { ErrorAlert, fieldError, Notice } from '../components/Feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nProvider';

export const INSTRUCTIONS_MAX = 8000;
const RETENTION = [7, 30, 90, 365];
const ZONES = ['America/Sao_Paulo', 'America/Manaus', 'America/Recife', 'America/Fortaleza', 'America/Belem', 'America/Cuiaba',
  'America/Rio_Branco', 'America/Noronha', 'Europe/Lisbon', 'Europe/London', 'America/New_York', 'UTC'];
/** Switches the API may offer; shown only once the generated schema has them. */
const SWITCHES = ['assistant_enabled', 'record_meetings'] as const;
/** A new entity's switches, as the API defaults them: recording is opt-in. */
const SWITCH_DEFAULTS: Record<(typeof SWITCHES)[number], boolean> = { assistant_enabled: true, record_meetings: false };

export interface EntityValues {
  name: string;
  type: string;
  default_instructions: string;
  max_participants: string;
  recording_retention_days: number;
  locale: 'pt-BR' | 'en';
  timezone: string;
  switches: Record<string, boolean>;
}

export function initialValues(entity?: Entity): EntityValues {
  const raw = (entity ?? {}) as Record<string, unknown>;
  return {
    name: entity?.name ?? '',
    type: entity?.type ?? '',
    default_instructions: entity?.default_instructions ?? '',
    max_participants: String(entity?.max_participants ?? 10),
    recording_retention_days: entity?.recording_retention_days ?? 30,
    locale: (entity?.locale as 'pt-BR' | 'en') ?? 'pt-BR',
    timezone: entity?.timezone ?? 'America/Sao_Paulo',
    switches: Object.fromEntries(SWITCHES.map((s) => [s, typeof raw[s] === 'boolean' ? (raw[s] as boolean) : SWITCH_DEFAULTS[s]])),
  };
}

export function toBody(values: EntityValues, schema: 'EntityCreate' | 'EntityUpdate'): EntityCreate {
  const body: Record<string, unknown> = {
    name: values.name.trim(),
    type: values.type.trim(),
    default_instructions: values.default_instructions.trim() || null,
    max_participants: Number(values.max_participants),
    recording_retention_days: values.recording_retention_days,
    locale: values.locale,
    timezone: values.timezone,
  };
  for (const s of SWITCHES) if (hasField(schema, s)) body[s] = values.switches[s];
  return body as unknown as EntityCreate;
}

/** Create or edit an entity: every field of the API's model, with a live counter on the 8 000
 * characters of default AI instructions and the API's field errors under each field. */
export function EntityForm({ entity, schema, onSubmit, pending, error, saved, submitLabel }: {
  entity?: Entity;
  schema: 'EntityCreate' | 'EntityUpdate';
  onSubmit: (values: EntityValues) => void;
  pending: boolean;
  error: unknown;
  saved?: boolean;
  submitLabel: string;
}) {
  const { messages: m } = useI18n();
  const [values, setValues] = useState(() => initialValues(entity));
  const [tried, setTried] = useState(false);
  const set = <K extends keyof EntityValues>(key: K, value: EntityValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!values.name.trim() || !values.type.trim() || values.default_instructions.length > INSTRUCTIONS_MAX) return;
    onSubmit(values);
  };
  const zones = ZONES.includes(values.timezone) ? ZONES : [values.timezone, ...ZONES];
  const fe = (f: string) => fieldError(error, f);
  return (
    <form onSubmit={submit} noValidate className="card space-y-4" data-testid="entity-form">
      {saved && <Notice>{m.common.saved}</Notice>}
      <ErrorAlert error={error} shownFields={['name', 'type', 'default_instructions', 'max_participants', 'recording_retention_days', 'locale', 'timezone', ...SWITCHES]} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={m.entities.name} value={values.name} maxLength={200} required onChange={(e) => set('name', e.target.value)}
          error={fe('name') ?? (tried && !values.name.trim() ? m.common.required : undefined)} />
        <TextField label={m.entities.type} value={values.type} maxLength={50} required hint={m.entities.typeHint}
          onChange={(e) => set('type', e.target.value)} error={fe('type') ?? (tried && !values.type.trim() ? m.common.required : undefined)} />
        <TextField label={m.entities.maxParticipants} type="number" min={1} max={100} value={values.max_participants}
          onChange={(e) => set('max_participants', e.target.value)} error={fe('max_participants')} />
        <SelectField label={m.entities.retention} value={values.recording_retention_days}
          onChange={(e) => set('recording_retention_days', Number(e.target.value))} error={fe('recording_retention_days')}>
          {RETENTION.map((d) => <option key={d} value={d}>{m.entities.days(d)}</option>)}
        </SelectField>
        <SelectField label={m.entities.locale} value={values.locale} onChange={(e) => set('locale', e.target.value as 'pt-BR' | 'en')} error={fe('locale')}>
          <option value="pt-BR">Português (Brasil)</option>
          <option value="en">English</option>
        </SelectField>
        <SelectField label={m.entities.timezone} value={values.timezone} onChange={(e) => set('timezone', e.target.value)} error={fe('timezone')}>
          {zones.map((z) => <option key={z} value={z}>{z}</option>)}
        </SelectField>
      </div>
      <TextAreaField label={m.entities.instructions} hint={m.entities.instructionsHint} value={values.default_instructions}
        maxLength={INSTRUCTIONS_MAX} rows={6} onChange={(e) => set('default_instructions', e.target.value)} error={fe('default_instructions')} />
      {SWITCHES.filter((s) => hasField(schema, s)).map((s) => (
        <CheckboxField key={s} label={s === 'assistant_enabled' ? m.entities.assistant : m.entities.recording}
          checked={values.switches[s]} onChange={(e) => set('switches', { ...values.switches, [s]: e.target.checked })}
          error={fe(s)} data-testid={`switch-${s}`} />
      ))}
      <button type="submit" className="btn-primary" disabled={pending}>{pending ? m.common.saving : submitLabel}</button>
    </form>
  );
}
