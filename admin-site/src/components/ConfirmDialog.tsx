import { useId, useRef, type ReactNode } from 'react';
import { useMessages } from '../i18n/I18nProvider';
import { useModal } from './useModal';

/** A modal question before something that cannot be undone: focus moves to Cancel (the safe
 * choice) and stays inside the dialog (Tab cycles), Escape or Cancel closes it, and focus
 * returns to what opened it (see useModal). */
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
  const bodyId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useModal(dialogRef, cancelRef, onCancel);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
      <div ref={dialogRef} role="alertdialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId} tabIndex={-1}
        className="card w-full max-w-md focus:outline-none" data-testid="confirm-dialog">
        <h2 id={titleId} className="text-lg font-semibold">{title}</h2>
        <div id={bodyId} className="mt-2 text-slate-700">{body}</div>
        <div className="mt-6 flex justify-end gap-3">
          <button ref={cancelRef} type="button" className="btn-secondary" onClick={onCancel}>{m.common.cancel}</button>
          <button type="button" className="btn-danger" disabled={busy} aria-busy={busy || undefined} onClick={onConfirm}
            data-testid="confirm-button">{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
