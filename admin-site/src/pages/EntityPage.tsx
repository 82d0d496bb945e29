import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageTitle } from '../components/AppShell';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Badge, ErrorAlert, Loading } from '../components/Feedback';
import { DepartmentsSection } from '../entities/DepartmentsSection';
import { EntityForm, toBody } from '../entities/EntityForm';
import { ProfessionalsSection } from '../entities/ProfessionalsSection';
import { UsersSection } from '../entities/UsersSection';
import { useEntity, useUpdateEntity } from '../hooks/queries';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';

export function EntityPage() {
  const { messages: m, suggestLanguage } = useI18n();
  const { entityId = '' } = useParams();
  const session = useSession();
  const entity = useEntity(entityId);
  const update = useUpdateEntity(entityId);
  const [confirming, setConfirming] = useState(false);
  const manager = session?.user.role === 'MANAGER';
  const locale = entity.data?.locale;
  useEffect(() => {
    if (!manager && (locale === 'pt-BR' || locale === 'en')) suggestLanguage(locale);
  }, [manager, locale, suggestLanguage]);
  if (entity.isPending) return <Loading />;
  if (entity.isError) return <ErrorAlert error={entity.error} onRetry={() => entity.refetch()} />;
  const e = entity.data;
  return (
    <div className="space-y-10" data-testid="entity-page">
      <PageTitle actions={
        <div className="flex gap-2">
          <Link to={manager ? `/knowledge?entity=${e.id}` : '/knowledge'} className="btn-secondary">{m.nav.knowledge}</Link>
          <Link to={manager ? `/meetings?entity=${e.id}` : '/meetings'} className="btn-secondary">{m.nav.meetings}</Link>
          {manager && (e.active
            ? <button type="button" className="btn-danger" onClick={() => setConfirming(true)} data-testid="deactivate-entity">{m.common.deactivate}</button>
            : <button type="button" className="btn-secondary" onClick={() => update.mutate({ active: true })}>{m.common.reactivate}</button>)}
        </div>
      }>
        {e.name} {!e.active && <Badge tone="inactive">{m.common.inactive}</Badge>}
      </PageTitle>
      <section aria-labelledby="details-title" className="space-y-3">
        <h2 id="details-title" className="text-xl font-semibold">{m.entities.editTitle}</h2>
        <EntityForm key={e.updated_at} entity={e} schema="EntityUpdate" pending={update.isPending} error={update.error}
          saved={update.isSuccess} submitLabel={m.common.save} onSubmit={(values) => update.mutate(toBody(values, 'EntityUpdate'))} />
      </section>
      <DepartmentsSection entityId={e.id} />
      <ProfessionalsSection entityId={e.id} />
      <UsersSection entityId={e.id} />
      {confirming && (
        <ConfirmDialog title={m.entities.deactivateTitle(e.name)} body={m.entities.deactivateBody} confirmLabel={m.common.deactivate}
          busy={update.isPending} onCancel={() => setConfirming(false)}
          onConfirm={() => update.mutate({ active: false }, { onSettled: () => setConfirming(false) })} />
      )}
    </div>
  );
}
