import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/errors';
import { PageTitle } from '../components/AppShell';
import { ErrorAlert, fieldError, Notice } from '../components/Feedback';
import { TextField } from '../components/Field';
import { useChangePassword, useSetPassword } from '../hooks/useAuth';
import { useMessages } from '../i18n/I18nProvider';

const MIN = 10;

function useNewPassword() {
  const m = useMessages();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = password.length < MIN ? m.auth.tooShort : password !== repeat ? m.auth.mismatch : null;
  return {
    password, repeat, setPassword, setRepeat, problem,
    check: () => { setTouched(true); return problem === null; },
    fields: (apiError: unknown) => (
      <>
        <TextField label={m.auth.newPassword} type="password" autoComplete="new-password" minLength={MIN} maxLength={128} required
          value={password} onChange={(e) => setPassword(e.target.value)} hint={m.auth.tooShort}
          error={fieldError(apiError, 'new_password') ?? (touched && password.length < MIN ? m.auth.tooShort : undefined)} />
        <TextField label={m.auth.repeatPassword} type="password" autoComplete="new-password" required value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={touched && password.length >= MIN && password !== repeat ? m.auth.mismatch : undefined} />
      </>
    ),
  };
}

/**
 * The set-password token of the page: in the fragment (`#token=…`, never sent to a server, so in no
 * CDN log). Links e-mailed before carried it in the query: accepted, and the address is replaced at
 * once by the same page with the token in the fragment (no history entry keeps it).
 */
function useLinkToken(): string {
  const location = useLocation();
  const navigate = useNavigate();
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const fromQuery = new URLSearchParams(location.search).get('token');
  useEffect(() => {
    if (!fromHash && fromQuery) {
      navigate({ pathname: location.pathname, hash: `token=${encodeURIComponent(fromQuery)}` }, { replace: true });
    }
  }, [fromHash, fromQuery, location.pathname, navigate]);
  return fromHash ?? fromQuery ?? '';
}

/** Where the invitation e-mail's link lands: /set-password#token=… */
export function SetPasswordPage() {
  const m = useMessages();
  const token = useLinkToken();
  const setPassword = useSetPassword();
  const form = useNewPassword();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.check()) setPassword.mutate({ token, new_password: form.password });
  };
  const gone = setPassword.error instanceof ApiError && [400, 404, 410].includes(setPassword.error.status);
  return (
    <div className="mx-auto max-w-md">
      <form onSubmit={submit} className="card space-y-4" noValidate data-testid="set-password-form">
        <h1 className="text-2xl font-bold">{m.auth.setTitle}</h1>
        {!token ? <p role="alert" className="field-error">{m.auth.linkMissing}</p> : setPassword.isSuccess ? (
          <>
            <Notice>{m.auth.setDone}</Notice>
            <Link to="/login" className="btn-primary">{m.auth.toLogin}</Link>
          </>
        ) : (
          <>
            <p className="text-slate-700">{m.auth.setIntro}</p>
            {gone ? <p role="alert" className="field-error">{m.auth.linkGone}</p>
              : <ErrorAlert error={setPassword.error} shownFields={['new_password']} />}
            {form.fields(setPassword.error)}
            <button type="submit" className="btn-primary w-full" disabled={setPassword.isPending}>{m.auth.setSubmit}</button>
          </>
        )}
      </form>
    </div>
  );
}

export function ChangePasswordPage() {
  const m = useMessages();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const form = useNewPassword();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.check()) change.mutate({ current_password: current, new_password: form.password });
  };
  const wrong = change.error instanceof ApiError && change.error.status === 401;
  return (
    <div className="max-w-md">
      <PageTitle>{m.auth.changeTitle}</PageTitle>
      <form onSubmit={submit} className="card space-y-4" noValidate data-testid="change-password-form">
        {change.isSuccess && <Notice>{m.auth.changed}</Notice>}
        {!wrong && <ErrorAlert error={change.error} shownFields={['new_password', 'current_password']} />}
        <TextField label={m.auth.currentPassword} type="password" autoComplete="current-password" required value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={wrong ? m.auth.wrongCurrent : fieldError(change.error, 'current_password')} />
        {form.fields(change.error)}
        <button type="submit" className="btn-primary" disabled={change.isPending}>{m.auth.changeSubmit}</button>
      </form>
    </div>
  );
}
