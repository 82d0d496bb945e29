import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { AppShell } from '../components/AppShell';
import { useMessages } from '../i18n/I18nProvider';
import { joinPath, tokenFromInvitation } from '../invitation';

export function LandingPage() {
  const m = useMessages();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!value.trim()) return setError(m.landing.empty);
    const token = tokenFromInvitation(value);
    if (!token) return setError(m.landing.invalid);
    navigate(joinPath(token));
  }

  return (
    <AppShell>
      <section className="card mx-auto max-w-xl" aria-labelledby="landing-title">
        <h1 id="landing-title" className="text-2xl font-semibold">
          {m.landing.title}
        </h1>
        <p className="mt-2 text-slate-700">{m.landing.intro}</p>
        <form className="mt-6 space-y-3" onSubmit={onSubmit} noValidate>
          <label htmlFor={inputId} className="block font-medium">
            {m.landing.inputLabel}
          </label>
          <input
            id={inputId}
            data-testid="invitation-input"
            className="field"
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              setError(null);
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${inputId}-hint ${inputId}-error`}
          />
          <p id={`${inputId}-hint`} className="text-sm text-slate-600">
            {m.landing.inputHint}
          </p>
          <p id={`${inputId}-error`} role="alert" data-testid="invitation-error" className="text-sm font-medium text-red-700">
            {error}
          </p>
          <button type="submit" className="btn-primary" data-testid="continue-button">
            {m.landing.submit}
          </button>
        </form>
      </section>
    </AppShell>
  );
}
