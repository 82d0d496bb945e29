import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageTitle } from '../components/AppShell';
import { Badge, Empty, ErrorAlert, Loading, Pagination } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { EntityForm, toBody } from '../entities/EntityForm';
import { useCreateEntity, useEntities } from '../hooks/queries';
import { useDebounced } from '../hooks/useDebounced';
import { useMessages } from '../i18n/I18nProvider';

export function EntitiesPage() {
  const m = useMessages();
  const [q, setQ] = useState('');
  const [type, setType] = useState('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('true');
  const [page, setPage] = useState(1);
  const query = useDebounced(q.trim());
  const typeQuery = useDebounced(type.trim());
  const entities = useEntities({
    ...(query ? { q: query } : {}), ...(typeQuery ? { type: typeQuery } : {}),
    ...(active ? { active: active === 'true' } : {}), page,
  });
  return (
    <section>
      <PageTitle actions={<Link to="/entities/new" className="btn-primary">{m.entities.new}</Link>}>{m.entities.title}</PageTitle>
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <TextField label={m.entities.searchLabel} type="search" value={q} onChange={(e) => { setQ(e.target.value); setPage(1); }} data-testid="entity-search" />
        <TextField label={m.entities.typeFilter} value={type} onChange={(e) => { setType(e.target.value); setPage(1); }} />
        <SelectField label={m.entities.statusFilter} value={active} onChange={(e) => { setActive(e.target.value as '' | 'true' | 'false'); setPage(1); }}>
          <option value="true">{m.common.active}</option>
          <option value="false">{m.common.inactive}</option>
          <option value="">{m.common.all}</option>
        </SelectField>
      </div>
      {entities.isPending ? <Loading /> : entities.isError ? <ErrorAlert error={entities.error} onRetry={() => entities.refetch()} />
        : entities.data.items.length === 0 ? <Empty>{m.entities.empty}</Empty> : (
          <>
            <p className="mb-2 text-sm text-slate-600">{m.entities.total(entities.data.total)}</p>
            <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
              <table className="w-full text-left text-sm" data-testid="entities-table">
                <thead className="bg-slate-100 text-slate-700">
                  <tr>
                    <th scope="col" className="p-3">{m.entities.name}</th>
                    <th scope="col" className="p-3">{m.entities.type}</th>
                    <th scope="col" className="p-3">{m.entities.departments}</th>
                    <th scope="col" className="p-3">{m.entities.maxParticipants}</th>
                    <th scope="col" className="p-3">{m.entities.timezone}</th>
                    <th scope="col" className="p-3">{m.entities.statusFilter}</th>
                  </tr>
                </thead>
                <tbody>
                  {entities.data.items.map((e) => (
                    <tr key={e.id} className="border-t border-slate-200" data-testid="entity-row">
                      <td className="p-3 font-medium"><Link to={`/entities/${e.id}`} className="text-sky-800 underline">{e.name}</Link></td>
                      <td className="p-3">{e.type}</td>
                      <td className="p-3">{e.department_count}</td>
                      <td className="p-3">{e.max_participants}</td>
                      <td className="p-3">{e.timezone}</td>
                      <td className="p-3"><Badge tone={e.active ? 'active' : 'inactive'}>{e.active ? m.common.active : m.common.inactive}</Badge></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={entities.data.page} limit={entities.data.limit} total={entities.data.total} onPage={setPage} />
          </>
        )}
    </section>
  );
}

export function NewEntityPage() {
  const m = useMessages();
  const navigate = useNavigate();
  const create = useCreateEntity();
  return (
    <section className="max-w-3xl">
      <PageTitle>{m.entities.createdTitle}</PageTitle>
      <EntityForm schema="EntityCreate" pending={create.isPending} error={create.error} submitLabel={m.common.create}
        onSubmit={(values) => create.mutate(toBody(values, 'EntityCreate'), { onSuccess: (e) => navigate(`/entities/${e.id}`) })} />
    </section>
  );
}
