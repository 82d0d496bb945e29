import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMessages } from '../i18n/I18nProvider';
import { LanguageSwitcher } from './LanguageSwitcher';

/** Header (name, language) and the main landmark shared by every page but the meeting itself. */
export function AppShell({ children }: { children: ReactNode }) {
  const m = useMessages();
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        {m.skipToContent}
      </a>
      <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 py-3">
        <Link to="/" className="text-lg font-semibold text-sky-800">
          {m.appName}
        </Link>
        <LanguageSwitcher />
      </header>
      <main id="content" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        {children}
      </main>
    </div>
  );
}
