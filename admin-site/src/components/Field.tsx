import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useMessages } from '../i18n/I18nProvider';

interface Common {
  label: ReactNode;
  /** The API's or the form's message for this field, shown under it and announced. */
  error?: string;
  hint?: ReactNode;
}

function useIds(error?: string, hint?: ReactNode) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return { id, errorId, hintId, describedBy };
}

function Help({ hint, hintId, error, errorId }: { hint?: ReactNode; hintId: string; error?: string; errorId: string }) {
  return (
    <>
      {hint && <p id={hintId} className="mt-1 text-sm text-slate-600">{hint}</p>}
      {error && <p id={errorId} className="field-error" data-testid="field-error">{error}</p>}
    </>
  );
}

export function TextField({ label, error, hint, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useIds(error, hint);
  return (
    <div className={className}>
      <label htmlFor={input.id ?? ids.id} className="label">{label}</label>
      <input id={ids.id} className="field" aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
      <Help hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

/** A textarea with a live character counter against `maxLength` (the API's limit). */
export function TextAreaField({ label, error, hint, className, value, maxLength, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement> & { value: string }) {
  const m = useMessages();
  const ids = useIds(error, hint);
  const counterId = `${ids.id}-counter`;
  const over = maxLength !== undefined && value.length > maxLength;
  return (
    <div className={className}>
      <label htmlFor={ids.id} className="label">{label}</label>
      <textarea
        id={ids.id}
        className="field min-h-28"
        value={value}
        aria-invalid={error || over ? true : undefined}
        aria-describedby={[ids.describedBy, maxLength ? counterId : ''].filter(Boolean).join(' ') || undefined}
        {...rest}
      />
      {maxLength !== undefined && (
        <p id={counterId} className={`mt-1 text-right text-sm ${over ? 'text-red-700' : 'text-slate-600'}`} aria-live="polite" data-testid="char-counter">
          {m.common.chars(value.length, maxLength)}
        </p>
      )}
      {over && <p className="field-error">{m.common.tooLong(maxLength)}</p>}
      <Help hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

export function SelectField({ label, error, hint, className, children, ...select }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useIds(error, hint);
  return (
    <div className={className}>
      <label htmlFor={ids.id} className="label">{label}</label>
      <select id={ids.id} className="field" aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      <Help hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}

export function CheckboxField({ label, error, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useIds(error);
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input id={ids.id} type="checkbox" role="switch" className="size-5 accent-sky-700" aria-describedby={ids.describedBy} {...input} />
        <label htmlFor={ids.id} className="text-sm font-medium text-slate-800">{label}</label>
      </div>
      <Help hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  );
}
