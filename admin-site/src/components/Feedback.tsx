import type { ReactNode } from 'react';
import { ApiError } from '../api/errors';
import { useMessages } from '../i18n/I18nProvider';

export function Loading({ label }: { label?: string }) {
  const m = useMessages();
  return (
    <p role="status" className="flex items-center gap-2 py-6 text-slate-600" data-testid="loading">
      <span className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-sky-700" aria-hidden="true" />
      {label ?? m.common.loading}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-slate-600" data-testid="empty">{children}</p>;
}

/** The message of a failed request or submission; field errors are shown next to their fields,
 * so this says only what no field shows. */
export function ErrorAlert({ error, shownFields = [], onRetry }: { error: unknown; shownFields?: string[]; onRetry?: () => void }) {
  const m = useMessages();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const unshown = apiError ? Object.entries(apiError.fields).filter(([f]) => !shownFields.includes(f)) : [];
  if (apiError && Object.keys(apiError.fields).length > 0 && unshown.length === 0) return null;
  const text = error instanceof Error ? error.message : m.common.error;
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-800" data-testid="form-error">
      <p>{text}</p>
      {unshown.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-sm">
          {unshown.map(([field, message]) => <li key={field}>{field}: {message}</li>)}
        </ul>
      )}
      {onRetry && <button type="button" className="btn-secondary mt-2" onClick={onRetry}>{m.common.retry}</button>}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-emerald-900" data-testid="notice">{children}</p>;
}

/** The API's message for `field` of a failed submission. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields[field] : undefined;
}

export function Pagination({ page, limit, total, onPage }: { page: number; limit: number; total: number; onPage: (page: number) => void }) {
  const m = useMessages();
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return null;
  return (
    <nav aria-label={m.common.pagination} className="mt-4 flex items-center gap-3">
      <button type="button" className="btn-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>{m.common.previous}</button>
      <span className="text-sm text-slate-700">{m.common.pageOf(page, pages)}</span>
      <button type="button" className="btn-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>{m.common.next}</button>
    </nav>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="flex items-center gap-3">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200" data-testid="upload-progress">
        <div className="h-full bg-sky-700 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <span className="w-12 text-right text-sm tabular-nums text-slate-700">{pct}%</span>
    </div>
  );
}

const BADGE: Record<string, string> = {
  SCHEDULED: 'bg-sky-100 text-sky-900', ACTIVE: 'bg-emerald-100 text-emerald-900', COMPLETED: 'bg-slate-200 text-slate-800',
  CANCELLED: 'bg-red-100 text-red-900', completed: 'bg-emerald-100 text-emerald-900', failed: 'bg-red-100 text-red-900',
  processing: 'bg-amber-100 text-amber-900', pending: 'bg-slate-200 text-slate-800', active: 'bg-emerald-100 text-emerald-900',
  inactive: 'bg-slate-200 text-slate-800',
};

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${BADGE[tone] ?? 'bg-slate-100 text-slate-800'}`}>{children}</span>;
}
