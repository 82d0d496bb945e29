import { useState, type FormEvent } from 'react';
import type { Department } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, Empty, ErrorAlert, fieldError, Loading, Notice } from '../components/Feedback';
import { TextAreaField, TextField } from '../components/Field';
import { useCreateDepartment, useDepartments, useUpdateDepartment } from '../hooks/queries';
import { useMessages } from '../i18n/I18nProvider';
import { INSTRUCTIONS_MAX } from './EntityForm';

function DepartmentForm({ initial, pending, error, submitLabel, onSubmit, onCancel }: {
  initial?: Department; pending: boolean; error: unknown; submitLabel: string;
  onSubmit: (v: { name: string; instructions: string | null }) => void; onCancel?: () => void;
}) {
  const m = useMessages();
  const [name, setName] = useState(initial?.name ?? '');
  const [instructions, setInstructions] = useState(initial?.instructions ?? '');
  const [tried, setTried] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!name.trim() || instructions.length > INSTRUCTIONS_MAX) return;
    onSubmit({ name: name.trim(), instructions: instructions.trim() || null });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid="department-form">
      <ErrorAlert error={error} shownFields={['name', 'instructions']} />
      <TextField label={m.departments.name} value={name} maxLength={200} onChange={(e) => setName(e.target.value)}
        error={fieldError(error, 'name') ?? (tried && !name.trim() ? m.common.required : undefined)} />
      <TextAreaField label={m.departments.instructions} value={instructions} maxLength={INSTRUCTIONS_MAX} rows={3}
        onChange={(e) => setInstructions(e.target.value)} error={fieldError(error, 'instructions')} />
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={pending}>{submitLabel}</button>
        {onCancel && <button type="button" className="btn-secondary" onClick={onCancel}>{m.common.cancel}</button>}
      </div>
    </form>
  );
}

export function DepartmentsSection({ entityId }: { entityId: string }) {
  const m = useMessages();
  const departments = useDepartments(entityId, true);
  const create = useCreateDepartment(entityId);
  const update = useUpdateDepartment(entityId);
  // Its own mutation, so a failed (de)activation is not shown inside an open edit form.
  const toggle = useUpdateDepartment(entityId);
  const [deactivating, setDeactivating] = useState<Department | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  return (
    <section className="space-y-4" aria-labelledby="departments-title" data-testid="departments-section">
      <h2 id="departments-title" className="text-xl font-semibold">{m.departments.title}</h2>
      <ErrorAlert error={toggle.error} />
      {departments.isPending ? <Loading /> : departments.isError ? <ErrorAlert error={departments.error} />
        : departments.data.length === 0 ? <Empty>{m.departments.empty}</Empty> : (
          <ul className="divide-y divide-slate-200 rounded-xl bg-white ring-1 ring-slate-200" data-testid="departments-list">
            {departments.data.map((d) => (
              <li key={d.id} className="p-4" data-testid="department">
                {editing === d.id ? (
                  <DepartmentForm initial={d} pending={update.isPending} error={update.error} submitLabel={m.common.save}
                    onCancel={() => setEditing(null)}
                    onSubmit={(body) => update.mutate({ id: d.id, body }, { onSuccess: () => setEditing(null) })} />
                ) : (
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div>
                      <p className="font-medium">{d.name} {!d.active && <Badge tone="inactive">{m.common.inactive}</Badge>}</p>
                      {d.instructions && <p className="mt-1 line-clamp-2 text-sm text-slate-600">{d.instructions}</p>}
                    </div>
                    <div className="flex gap-2">
                      <button type="button" className="btn-secondary py-1" aria-label={`${m.common.edit} ${d.name}`} onClick={() => setEditing(d.id)}>{m.common.edit}</button>
                      {d.active
                        ? <button type="button" className="btn-secondary py-1" aria-label={`${m.common.deactivate} ${d.name}`} onClick={() => setDeactivating(d)}>{m.common.deactivate}</button>
                        : <button type="button" className="btn-secondary py-1" aria-label={`${m.common.reactivate} ${d.name}`} disabled={toggle.isPending}
                          onClick={() => toggle.mutate({ id: d.id, body: { active: true } })}>{m.common.reactivate}</button>}
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      <div className="card">
        <h3 className="mb-3 font-semibold">{m.departments.add}</h3>
        {created && <Notice>{m.departments.created(created)}</Notice>}
        <DepartmentForm key={formKey} pending={create.isPending} error={create.error} submitLabel={m.departments.add}
          onSubmit={(body) => create.mutate(body, { onSuccess: (d) => { setCreated(d.name); setFormKey((k) => k + 1); } })} />
      </div>
      {deactivating && (
        <ConfirmDialog title={m.departments.deactivateTitle(deactivating.name)} body={m.departments.deactivateBody} confirmLabel={m.common.deactivate}
          busy={toggle.isPending} onCancel={() => setDeactivating(null)}
          onConfirm={() => toggle.mutate({ id: deactivating.id, body: { active: false } }, { onSettled: () => setDeactivating(null) })} />
      )}
    </section>
  );
}
