import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/errors';
import { homeFor } from '../auth/roles';
import { ErrorAlert, fieldError } from '../components/Feedback';
import { TextField } from '../components/Field';
import { useLogin } from '../hooks/useAuth';
import { useMessages } from '../i18n/I18nProvider';
import { useSession } from '../Runtime';

export function LoginPage() {
  const m = useMessages();
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const from = (location.state as { from?: string } | null)?.from;
  if (session && !login.isPending) return <Navigate to={from ?? homeFor(session.user.role)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password }, {
      onSuccess: (user) => navigate(from ?? homeFor(user.role), { replace: true }),
    });
  };
  const error = login.error;
  const message = error instanceof ApiError && error.status === 401 ? m.auth.invalid
    : error instanceof ApiError && error.status === 429 ? m.auth.tooMany : null;
  return (
    <div className="mx-auto max-w-sm">
      <form onSubmit={submit} className="card space-y-4" noValidate data-testid="login-form">
        <h1 className="text-2xl font-bold">{m.auth.loginTitle}</h1>
        {message ? <p role="alert" className="field-error" data-testid="login-error">{message}</p>
          : <ErrorAlert error={error} shownFields={['email', 'password']} />}
        <TextField label={m.auth.email} type="email" name="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <TextField label={m.auth.password} type="password" name="password" autoComplete="current-password" required value={password}
          onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')} />
        <button type="submit" className="btn-primary w-full" disabled={login.isPending}>
          {login.isPending ? m.auth.loggingIn : m.auth.login}
        </button>
      </form>
    </div>
  );
}
