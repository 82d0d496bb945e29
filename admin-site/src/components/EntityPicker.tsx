import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useAllEntities } from '../hooks/queries';
import { useMessages } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';
import { SelectField } from './Field';

/** The entity a page works on: the user's own, or for the platform MANAGER the one chosen in
 * the picker (kept in the URL as ?entity=…, so a reload or a shared link keeps it). */
export function useScopeEntity(): { entityId: string | undefined; picker: React.ReactNode } {
  const m = useMessages();
  const session = useSession();
  const manager = session?.user.role === 'MANAGER';
  const entities = useAllEntities();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('entity') ?? undefined;
  const first = entities.data?.items[0]?.id;
  useEffect(() => {
    if (manager && !chosen && first) setParams((p) => { p.set('entity', first); return p; }, { replace: true });
  }, [manager, chosen, first, setParams]);
  if (!manager) return { entityId: session?.user.entity_id ?? undefined, picker: null };
  const picker = (
    <SelectField label={m.common.entity} className="max-w-xs" value={chosen ?? ''} data-testid="entity-picker"
      onChange={(e) => setParams((p) => { p.set('entity', e.target.value); return p; })}>
      {!chosen && <option value="">{m.common.chooseEntity}</option>}
      {entities.data?.items.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
    </SelectField>
  );
  return { entityId: chosen, picker };
}
