import { TextField } from '../components/Field';
import { useMessages } from '../i18n/I18nProvider';
import { checkRow, emptyRow, isBlank, type ParticipantRow } from './participants';

/** Participants as rows of name, e-mail and phone, added and removed; `showProblems` after a
 * submit attempt; `apiErrors` are the API's field errors (e.g. "participants.0.email"). */
export function ParticipantRows({ rows, onChange, showProblems, apiErrors, prefix = 'participants' }: {
  rows: ParticipantRow[];
  onChange: (rows: ParticipantRow[]) => void;
  showProblems: boolean;
  apiErrors: Record<string, string>;
  prefix?: string;
}) {
  const m = useMessages();
  const update = (key: string, change: Partial<ParticipantRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const text = (p: string | undefined) => (p ? (m.meetings as unknown as Record<string, string>)[p] ?? m.common.required : undefined);
  let index = -1;
  return (
    <fieldset className="space-y-3" data-testid="participant-rows">
      <legend className="label">{m.meetings.participantRows}</legend>
      {rows.map((row, position) => {
        const blank = isBlank(row);
        if (!blank) index += 1;
        const sent = blank ? -1 : index; // position in the submitted list, as the API names it
        const problem = showProblems && !blank ? checkRow(row) : {};
        const api = (f: string) => (sent >= 0 ? apiErrors[`${prefix}.${sent}.${f}`] ?? (f === 'email' ? apiErrors[`${prefix}.${sent}`] : undefined) : undefined);
        return (
          <div key={row.key} className="grid gap-2 rounded-lg border border-slate-200 p-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid="participant-row">
            <TextField label={`${m.meetings.participantName} ${position + 1}`} value={row.name} maxLength={200}
              onChange={(e) => update(row.key, { name: e.target.value })}
              error={api('name') ?? (problem.name ? m.common.required : undefined)} />
            <TextField label={m.meetings.participantEmail} type="email" value={row.email} maxLength={254}
              onChange={(e) => update(row.key, { email: e.target.value })} error={api('email') ?? text(problem.email)} />
            <TextField label={m.meetings.participantPhone} type="tel" value={row.phone} maxLength={32} placeholder="+5511987654321"
              onChange={(e) => update(row.key, { phone: e.target.value })} error={api('phone') ?? text(problem.phone)} />
            <div className="flex items-end">
              <button type="button" className="btn-secondary" aria-label={m.meetings.removeRow(position + 1)}
                onClick={() => onChange(rows.length > 1 ? rows.filter((r) => r.key !== row.key) : [emptyRow()])}>
                ✕
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" className="btn-secondary" onClick={() => onChange([...rows, emptyRow()])} data-testid="add-participant-row">
        + {m.meetings.addRow}
      </button>
    </fieldset>
  );
}
