import { useState, type FormEvent } from 'react';
import type { User } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, Empty, ErrorAlert, fieldError, Loading, Notice } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useInviteUser, useProfessionals, useUpdateUser, useUsers } from '../hooks/queries';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';

export function UsersSection({ entityId }: { entityId: string }) {
  const { messages: m, language } = useI18n();
  const session = useSession();
  const users = useUsers(entityId);
  const professionals = useProfessionals(entityId);
  const invite = useInviteUser(entityId);
  const update = useUpdateUser(entityId);
  const [v, setV] = useState({ email: '', name: '', role: 'PROFESSIONAL' as 'PROFESSIONAL' | 'ENTITY_ADMIN', professional_id: '' });
  const [tried, setTried] = useState(false);
  const [invited, setInvited] = useState<string | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!v.email.trim() || !v.name.trim()) return;
    invite.mutate({ email: v.email.trim(), name: v.name.trim(), role: v.role, professional_id: v.professional_id || null }, {
      onSuccess: (u) => { setInvited(u.email); setV({ email: '', name: '', role: 'PROFESSIONAL', professional_id: '' }); setTried(false); },
    });
  };
  const fe = (f: string) => fieldError(invite.error, f);
  return (
    <section className="space-y-4" aria-labelledby="users-title" data-testid="users-section">
      <h2 id="users-title" className="text-xl font-semibold">{m.users.title}</h2>
      <ErrorAlert error={update.error} />
      {users.isPending ? <Loading /> : users.isError ? <ErrorAlert error={users.error} />
        : users.data.length === 0 ? <Empty>{m.users.empty}</Empty> : (
          <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
            <table className="w-full text-left text-sm" data-testid="users-table">
              <thead className="bg-slate-100 text-slate-700">
                <tr>
                  <th scope="col" className="p-3">{m.users.name}</th>
                  <th scope="col" className="p-3">{m.users.email}</th>
                  <th scope="col" className="p-3">{m.users.role}</th>
                  <th scope="col" className="p-3">{m.users.status}</th>
                  <th scope="col" className="p-3">{m.users.lastLogin}</th>
                  <th scope="col" className="p-3"><span className="sr-only">{m.common.deactivate}</span></th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id} className="border-t border-slate-200" data-testid="user-row">
                    <td className="p-3 font-medium">{u.name}</td>
                    <td className="p-3">{u.email}</td>
                    <td className="p-3">{m.roles[u.role] ?? u.role}</td>
                    <td className="p-3">
                      <Badge tone={u.active ? 'active' : 'inactive'}>{u.active ? m.common.active : m.common.inactive}</Badge>
                      {!u.has_password && <span className="ml-2 text-xs text-slate-600">{m.users.pendingPassword}</span>}
                    </td>
                    <td className="p-3">{u.last_login_at ? formatDateTime(u.last_login_at, language) : m.users.never}</td>
                    <td className="p-3 text-right">
                      {u.id !== session?.user.id && (u.active
                        ? <button type="button" className="btn-secondary py-1" aria-label={`${m.common.deactivate} ${u.name}`} onClick={() => setDeactivating(u)}>{m.common.deactivate}</button>
                        : <button type="button" className="btn-secondary py-1" onClick={() => update.mutate({ id: u.id, body: { active: true } })}>{m.common.reactivate}</button>)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <form onSubmit={submit} noValidate className="card space-y-3" data-testid="invite-form">
        <h3 className="font-semibold">{m.users.invite}</h3>
        {invited && <Notice>{m.users.invited(invited)}</Notice>}
        <ErrorAlert error={invite.error} shownFields={['email', 'name', 'role', 'professional_id']} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label={m.users.name} value={v.name} maxLength={200} onChange={(e) => setV({ ...v, name: e.target.value })}
            error={fe('name') ?? (tried && !v.name.trim() ? m.common.required : undefined)} />
          <TextField label={m.users.email} type="email" value={v.email} maxLength={254} onChange={(e) => setV({ ...v, email: e.target.value })}
            error={fe('email') ?? (tried && !v.email.trim() ? m.common.required : undefined)} />
          <SelectField label={m.users.role} value={v.role} onChange={(e) => setV({ ...v, role: e.target.value as 'PROFESSIONAL' | 'ENTITY_ADMIN' })} error={fe('role')}>
            <option value="PROFESSIONAL">{m.roles.PROFESSIONAL}</option>
            <option value="ENTITY_ADMIN">{m.roles.ENTITY_ADMIN}</option>
          </SelectField>
          {v.role === 'PROFESSIONAL' && (
            <SelectField label={`${m.professionals.title} ${m.common.optional}`} value={v.professional_id}
              onChange={(e) => setV({ ...v, professional_id: e.target.value })} error={fe('professional_id')}>
              <option value="">{m.common.none}</option>
              {professionals.data?.filter((p) => p.active && !p.user_id).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </SelectField>
          )}
        </div>
        <button type="submit" className="btn-primary" disabled={invite.isPending}>{m.users.invite}</button>
      </form>
      {deactivating && (
        <ConfirmDialog title={m.users.deactivateTitle(deactivating.name)} body={m.users.deactivateBody} confirmLabel={m.common.deactivate}
          busy={update.isPending} onCancel={() => setDeactivating(null)}
          onConfirm={() => update.mutate({ id: deactivating.id, body: { active: false } }, { onSettled: () => setDeactivating(null) })} />
      )}
    </section>
  );
}
