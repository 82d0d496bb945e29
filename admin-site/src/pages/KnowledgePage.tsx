import { useState } from 'react';
import type { Document } from '../api/types';
import { PageTitle } from '../components/AppShell';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useScopeEntity } from '../components/EntityPicker';
import { Badge, Empty, ErrorAlert, Loading } from '../components/Feedback';
import { SelectField } from '../components/Field';
import { useDeleteDocument, useDepartments, useDocuments } from '../hooks/queries';
import { formatDateTime } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { SearchPanel } from '../knowledge/SearchPanel';
import { UploadArea } from '../knowledge/UploadArea';
import { useUploads } from '../knowledge/useUploads';
import { useSession } from '../Runtime';

function DocumentsTable({ entityId }: { entityId: string | undefined }) {
  const { messages: m, language } = useI18n();
  const session = useSession();
  const manager = session?.user.role === 'MANAGER';
  const docs = useDocuments(manager ? entityId : undefined, !manager || Boolean(entityId));
  const remove = useDeleteDocument(manager ? entityId : undefined);
  const [deleting, setDeleting] = useState<Document | null>(null);
  if (docs.isPending) return <Loading />;
  if (docs.isError) return <ErrorAlert error={docs.error} onRetry={() => docs.refetch()} />;
  if (docs.data.items.length === 0) return <Empty>{m.knowledge.empty}</Empty>;
  return (
    <>
      <ErrorAlert error={remove.error} />
      <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
        <table className="w-full text-left text-sm" data-testid="documents-table">
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="p-3">{m.knowledge.file}</th>
              <th scope="col" className="p-3">{m.knowledge.department}</th>
              <th scope="col" className="p-3">{m.knowledge.pages}</th>
              <th scope="col" className="p-3">{m.knowledge.chunks}</th>
              <th scope="col" className="p-3">{m.knowledge.model}</th>
              <th scope="col" className="p-3">{m.knowledge.statusCol}</th>
              <th scope="col" className="p-3">{m.knowledge.added}</th>
              <th scope="col" className="p-3"><span className="sr-only">{m.common.delete}</span></th>
            </tr>
          </thead>
          <tbody>
            {docs.data.items.map((d) => (
              <tr key={d.id} className="border-t border-slate-200" data-testid="document-row">
                <td className="p-3 font-medium">{d.filename}</td>
                <td className="p-3">{d.department_name ?? m.knowledge.wholeEntity}</td>
                <td className="p-3">{d.page_count ?? m.common.none}</td>
                <td className="p-3">{d.chunk_count}</td>
                <td className="p-3 text-xs">{d.embedding_model ?? m.common.none}</td>
                <td className="p-3">
                  <Badge tone={d.status}>{m.knowledge.status[d.status] ?? d.status}</Badge>
                  {d.status_reason && <p className="mt-1 text-xs text-red-700">{d.status_reason}</p>}
                </td>
                <td className="p-3">{formatDateTime(d.created_at, language)}</td>
                <td className="p-3 text-right">
                  <button type="button" className="btn-secondary py-1" aria-label={`${m.common.delete} ${d.filename}`} onClick={() => setDeleting(d)}>
                    {m.common.delete}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {deleting && (
        <ConfirmDialog title={m.knowledge.deleteTitle(deleting.filename)} body={m.knowledge.deleteBody} confirmLabel={m.common.delete}
          busy={remove.isPending} onCancel={() => setDeleting(null)}
          onConfirm={() => remove.mutate(deleting.id, { onSettled: () => setDeleting(null) })} />
      )}
    </>
  );
}

export function KnowledgePage() {
  const m = useI18n().messages;
  const session = useSession();
  const admin = session?.user.role !== 'PROFESSIONAL';
  const { entityId, picker } = useScopeEntity();
  const departments = useDepartments(admin ? entityId : undefined);
  const [departmentId, setDepartmentId] = useState('');
  const manager = session?.user.role === 'MANAGER';
  const { uploads, start } = useUploads(manager ? entityId : undefined, departmentId || undefined);
  return (
    <section className="space-y-8">
      <PageTitle>{admin ? m.knowledge.title : m.knowledge.searchTitle}</PageTitle>
      {picker}
      {admin && (
        <div className="card space-y-4">
          <h2 className="text-lg font-semibold">{m.knowledge.uploadTitle}</h2>
          <SelectField label={m.knowledge.department} className="max-w-xs" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">{m.knowledge.wholeEntity}</option>
            {departments.data?.filter((d) => d.active).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </SelectField>
          <UploadArea uploads={uploads} entityId={manager ? entityId : undefined} onFiles={(files) => files.forEach((f) => void start(f))} />
        </div>
      )}
      <div className="card space-y-4">
        <h2 className="text-lg font-semibold">{m.common.search}</h2>
        <SearchPanel entityId={manager ? entityId : undefined} />
      </div>
      {admin && (
        <div className="space-y-3">
          <h2 className="text-lg font-semibold">{m.knowledge.documents}</h2>
          <DocumentsTable entityId={entityId} />
        </div>
      )}
    </section>
  );
}
