import { useState, type FormEvent } from 'react';
import type { Professional } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, Empty, ErrorAlert, fieldError, Loading, Notice } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useAllEntities, useCreateProfessional, useLinkProfessional, useProfessionals, useUnlinkProfessional, useUpdateProfessional } from '../hooks/queries';
import { useMessages } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';

function LinkToEntity({ professional }: { professional: Professional }) {
  const m = useMessages();
  const entities = useAllEntities();
  const link = useLinkProfessional();
  const [other, setOther] = useState('');
  const choices = entities.data?.items.filter((e) => !professional.entity_ids.includes(e.id) && e.id !== professional.entity_id) ?? [];
  if (choices.length === 0) return null;
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); if (other) link.mutate({ id: professional.id, otherEntityId: other }); }}>
      <SelectField label={m.professionals.link} value={other} onChange={(e) => setOther(e.target.value)} error={fieldError(link.error, 'entity_id')}>
        <option value="">{m.common.chooseEntity}</option>
        {choices.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
      </SelectField>
      <button type="submit" className="btn-secondary" disabled={!other || link.isPending}>{m.professionals.linkSubmit}</button>
      {link.isSuccess && <span role="status" className="text-sm text-emerald-800">{m.professionals.linked}</span>}
      {link.isError && !fieldError(link.error, 'entity_id') && <ErrorAlert error={link.error} shownFields={['entity_id']} />}
    </form>
  );
}

export function ProfessionalsSection({ entityId }: { entityId: string }) {
  const m = useMessages();
  const session = useSession();
  const professionals = useProfessionals(entityId);
  const create = useCreateProfessional(entityId);
  const update = useUpdateProfessional(entityId);
  const unlink = useUnlinkProfessional(entityId);
  const [deactivating, setDeactivating] = useState<Professional | null>(null);
  const [unlinking, setUnlinking] = useState<Professional | null>(null);
  const [v, setV] = useState({ name: '', email: '', phone: '', specialty: '' });
  const [tried, setTried] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!v.name.trim()) return;
    create.mutate({ name: v.name.trim(), email: v.email.trim() || null, phone: v.phone.trim() || null, specialty: v.specialty.trim() || null }, {
      onSuccess: (p) => { setCreated(p.name); setV({ name: '', email: '', phone: '', specialty: '' }); setTried(false); },
    });
  };
  const fe = (f: string) => fieldError(create.error, f);
  return (
    <section className="space-y-4" aria-labelledby="professionals-title" data-testid="professionals-section">
      <h2 id="professionals-title" className="text-xl font-semibold">{m.professionals.title}</h2>
      <ErrorAlert error={update.error} />
      <ErrorAlert error={unlink.error} />
      {professionals.isPending ? <Loading /> : professionals.isError ? <ErrorAlert error={professionals.error} />
        : professionals.data.length === 0 ? <Empty>{m.professionals.empty}</Empty> : (
          <ul className="divide-y divide-slate-200 rounded-xl bg-white ring-1 ring-slate-200">
            {professionals.data.map((p) => (
              <li key={p.id} className="flex flex-wrap items-end justify-between gap-3 p-4" data-testid="professional">
                <div>
                  <p className="font-medium">{p.name} {!p.active && <Badge tone="inactive">{m.common.inactive}</Badge>}</p>
                  <p className="text-sm text-slate-600">{[p.specialty, p.email, p.phone].filter(Boolean).join(' · ')}</p>
                  {p.entity_ids.length > 1 && <p className="text-xs text-slate-500">{m.professionals.entitiesCount(p.entity_ids.length)}</p>}
                  {p.entity_id !== entityId && <p className="text-xs text-slate-600" data-testid="linked-here">{m.professionals.linkedHere}</p>}
                </div>
                <div className="flex flex-wrap items-end gap-2">
                  {session?.user.role === 'MANAGER' && <LinkToEntity professional={p} />}
                  {p.entity_id !== entityId ? (
                    <button type="button" className="btn-secondary py-1" aria-label={`${m.professionals.unlink}: ${p.name}`} onClick={() => setUnlinking(p)}>
                      {m.professionals.unlink}
                    </button>
                  ) : p.active
                    ? <button type="button" className="btn-secondary py-1" aria-label={`${m.common.deactivate} ${p.name}`} onClick={() => setDeactivating(p)}>{m.common.deactivate}</button>
                    : <button type="button" className="btn-secondary py-1" aria-label={`${m.common.reactivate} ${p.name}`} disabled={update.isPending}
                      onClick={() => update.mutate({ id: p.id, body: { active: true } })}>{m.common.reactivate}</button>}
                </div>
              </li>
            ))}
          </ul>
        )}
      <form onSubmit={submit} noValidate className="card space-y-3" data-testid="professional-form">
        <h3 className="font-semibold">{m.professionals.add}</h3>
        {created && <Notice>{m.professionals.created(created)}</Notice>}
        <ErrorAlert error={create.error} shownFields={['name', 'email', 'phone', 'specialty']} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label={m.professionals.name} value={v.name} maxLength={200} onChange={(e) => setV({ ...v, name: e.target.value })}
            error={fe('name') ?? (tried && !v.name.trim() ? m.common.required : undefined)} />
          <TextField label={m.professionals.specialty} value={v.specialty} onChange={(e) => setV({ ...v, specialty: e.target.value })} error={fe('specialty')} />
          <TextField label={m.professionals.email} type="email" value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} error={fe('email')} />
          <TextField label={m.professionals.phone} type="tel" value={v.phone} placeholder="+5511987654321" onChange={(e) => setV({ ...v, phone: e.target.value })} error={fe('phone')} />
        </div>
        <button type="submit" className="btn-primary" disabled={create.isPending}>{m.professionals.add}</button>
      </form>
      {unlinking && (
        <ConfirmDialog title={m.professionals.unlinkTitle(unlinking.name)} body={m.professionals.unlinkBody} confirmLabel={m.professionals.unlink}
          busy={unlink.isPending} onCancel={() => setUnlinking(null)}
          onConfirm={() => unlink.mutate(unlinking.id, { onSettled: () => setUnlinking(null) })} />
      )}
      {deactivating && (
        <ConfirmDialog title={m.professionals.deactivateTitle(deactivating.name)} body={m.professionals.deactivateBody} confirmLabel={m.common.deactivate}
          busy={update.isPending} onCancel={() => setDeactivating(null)}
          onConfirm={() => update.mutate({ id: deactivating.id, body: { active: false } }, { onSettled: () => setDeactivating(null) })} />
      )}
    </section>
  );
}
