import { useId, useState, type FormEvent } from 'react';
import { useMessages } from '../i18n/I18nProvider';
import { isWellFormedPassword } from '../password';

/**
 * The 8-digit meeting password. Checks the format before bothering the server; the server's
 * verdict comes back as `serverError`. Both are announced (role="alert").
 */
export function PasswordPrompt({
  onSubmit,
  pending = false,
  serverError = null,
  locked = false,
  notice = null,
}: {
  onSubmit: (password: string) => void;
  pending?: boolean;
  serverError?: string | null;
  locked?: boolean;
  notice?: string | null;
}) {
  const m = useMessages();
  const id = useId();
  const [password, setPassword] = useState('');
  const [formatError, setFormatError] = useState(false);
  const error = formatError ? m.password.wrongFormat : serverError;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!isWellFormedPassword(password)) {
      setFormatError(true);
      return;
    }
    setFormatError(false);
    onSubmit(password);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {m.password.heading}
      </h2>
      {notice ? (
        <p role="status" className="rounded-lg bg-sky-50 p-3 text-sm text-sky-900">
          {notice}
        </p>
      ) : null}
      <label htmlFor={id} className="block font-medium">
        {m.password.label}
      </label>
      <input
        id={id}
        data-testid="password-input"
        className="field max-w-xs font-mono text-xl tracking-[0.3em]"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={16}
        value={password}
        onChange={(event) => {
          setPassword(event.target.value);
          setFormatError(false);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
      />
      <p id={`${id}-hint`} className="text-sm text-slate-600">
        {m.password.hint}
      </p>
      <p id={`${id}-error`} role="alert" data-testid="password-error" className="text-sm font-medium text-red-700">
        {error}
      </p>
      <button type="submit" data-testid="join-button" className="btn-primary w-full sm:w-auto" disabled={pending || locked}>
        {pending ? m.password.checking : m.password.submit}
      </button>
    </form>
  );
}
