import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useMessages } from '../i18n/I18nProvider';

/** A modal question before something that cannot be undone: focus moves into it, Escape or
 * Cancel closes it, and focus returns to what opened it. */
export function ConfirmDialog({ title, body, confirmLabel, busy, onConfirm, onCancel }: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const m = useMessages();
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, [onCancel]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
      <div role="alertdialog" aria-modal="true" aria-labelledby={titleId} className="card w-full max-w-md" data-testid="confirm-dialog">
        <h2 id={titleId} className="text-lg font-semibold">{title}</h2>
        <div className="mt-2 text-slate-700">{body}</div>
        <div className="mt-6 flex justify-end gap-3">
          <button ref={cancelRef} type="button" className="btn-secondary" onClick={onCancel}>{m.common.cancel}</button>
          <button type="button" className="btn-danger" disabled={busy} onClick={onConfirm} data-testid="confirm-button">{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
