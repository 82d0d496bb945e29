import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = [
  'a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type="hidden"])', 'select:not([disabled])',
  'textarea:not([disabled])', '[tabindex]:not([tabindex="-1"])',
].join(',');

/** What Tab can reach inside `container`, in order. */
export function focusables(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[inert]'));
}

/** The keyboard rules of a modal dialog (WAI-ARIA APG): focus moves to `initial` (or the dialog)
 * when it opens, Tab and Shift+Tab cycle inside it and nothing outside can take focus, Escape
 * calls `onClose`, and when it closes focus returns to what opened it (or to the page's main
 * region when that element is gone, e.g. the row just deleted). */
export function useModal(container: RefObject<HTMLElement | null>, initial: RefObject<HTMLElement | null>, onClose: () => void) {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body
      ? document.activeElement : null;
    const home = () => initial.current ?? container.current;
    home()?.focus();
    const onKey = (e: KeyboardEvent) => {
      const dialog = container.current;
      if (!dialog) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusables(dialog);
      if (items.length === 0) {
        e.preventDefault();
        dialog.focus();
        return;
      }
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      const inside = active instanceof Node && dialog.contains(active);
      if (e.shiftKey && (!inside || active === first || active === dialog)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (!inside || active === last)) {
        e.preventDefault();
        first.focus();
      }
    };
    // A click or a screen reader's cursor outside must not leave focus behind the dialog.
    const onFocusIn = (e: FocusEvent) => {
      const dialog = container.current;
      if (dialog && e.target instanceof Node && !dialog.contains(e.target)) home()?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      const back = opener?.isConnected ? opener : document.getElementById('main');
      back?.focus();
    };
  }, [container, initial]);
}
