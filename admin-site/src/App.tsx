import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from './api/types';
import { ADMINS, EVERYONE, homeFor } from './auth/roles';
import { AppShell } from './components/AppShell';
import { useMessages } from './i18n/I18nProvider';
import { DashboardPage } from './pages/DashboardPage';
import { EntitiesPage, NewEntityPage } from './pages/EntitiesPage';
import { EntityPage } from './pages/EntityPage';
import { KnowledgePage } from './pages/KnowledgePage';
import { LoginPage } from './pages/LoginPage';
import { MeetingPage } from './pages/MeetingPage';
import { MeetingsPage } from './pages/MeetingsPage';
import { NewMeetingPage } from './pages/NewMeetingPage';
import { ChangePasswordPage, SetPasswordPage } from './pages/PasswordPages';
import { UsagePage } from './pages/UsagePage';
import { useSession } from './Runtime';

/** Logged out → the login page (coming back here after); a role that may not use the page →
 * its home page. Nobody sees a 403. */
function Guard({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeFor(session.user.role)} replace />;
  return <>{children}</>;
}

function EntitiesHome() {
  const session = useSession();
  if (session?.user.role !== 'MANAGER' && session?.user.entity_id) return <Navigate to={`/entities/${session.user.entity_id}`} replace />;
  return <EntitiesPage />;
}

function NotFoundPage() {
  const m = useMessages();
  return (
    <div className="card max-w-lg" data-testid="not-found">
      <h1 className="text-2xl font-bold">{m.notFound.title}</h1>
      <p className="mt-2 text-slate-700">{m.notFound.body}</p>
      <Link to="/" className="btn-primary mt-4">{m.notFound.home}</Link>
    </div>
  );
}

export function AppRoutes() {
  const g = (roles: Role[], page: ReactNode) => <Guard roles={roles}>{page}</Guard>;
  return (
    <AppShell>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/set-password" element={<SetPasswordPage />} />
        <Route path="/account/password" element={g(EVERYONE, <ChangePasswordPage />)} />
        <Route path="/" element={g(ADMINS, <DashboardPage />)} />
        <Route path="/entities" element={g(ADMINS, <EntitiesHome />)} />
        <Route path="/entities/new" element={g(['MANAGER'], <NewEntityPage />)} />
        <Route path="/entities/:entityId" element={g(ADMINS, <EntityPage />)} />
        <Route path="/meetings" element={g(EVERYONE, <MeetingsPage />)} />
        <Route path="/meetings/new" element={g(EVERYONE, <NewMeetingPage />)} />
        <Route path="/meetings/:roomId" element={g(EVERYONE, <MeetingPage />)} />
        <Route path="/knowledge" element={g(EVERYONE, <KnowledgePage />)} />
        <Route path="/usage" element={g(ADMINS, <UsagePage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </AppShell>
  );
}
