import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { navFor } from '../auth/roles';
import { useLogout } from '../hooks/useAuth';
import { useI18n } from '../i18n/I18nProvider';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/languages';
import { useSession } from '../Runtime';

export function LanguageSwitcher() {
  const { language, setLanguage, messages: m } = useI18n();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span>{m.language.label}</span>
      <select className="rounded-md border border-slate-300 bg-white px-2 py-1" value={language}
        onChange={(e) => setLanguage(e.target.value as Language)} data-testid="language-switcher">
        {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
      </select>
    </label>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { messages: m } = useI18n();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const items = session ? navFor(session.user.role, session.user.entity_id) : [];
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        {m.skipToContent}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <span className="text-lg font-bold text-sky-800">{m.appName}</span>
          {session && (
            <nav aria-label={m.nav.label} className="flex flex-wrap gap-1" data-testid="main-nav">
              {items.map((item) => (
                <NavLink key={item.to} to={item.to} end={item.to === '/'}
                  className={({ isActive }) => `rounded-md px-3 py-1.5 text-sm font-medium ${isActive ? 'bg-sky-100 text-sky-900' : 'text-slate-700 hover:bg-slate-100'}`}>
                  {m.nav[item.label]}
                </NavLink>
              ))}
            </nav>
          )}
          <div className="ml-auto flex flex-wrap items-center gap-3">
            <LanguageSwitcher />
            {session && (
              <>
                <span className="text-sm text-slate-700" data-testid="who">
                  {m.nav.signedInAs(session.user.name, m.roles[session.user.role] ?? session.user.role)}
                </span>
                <NavLink to="/account/password" className="text-sm text-sky-800 underline">{m.nav.account}</NavLink>
                <button type="button" className="btn-secondary py-1" data-testid="logout"
                  onClick={async () => { await logout(); navigate('/login'); }}>
                  {m.nav.logout}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">{children}</main>
    </div>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold">{children}</h1>
      {actions}
    </div>
  );
}
