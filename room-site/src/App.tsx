import { Route, Routes } from 'react-router';
import { AppShell } from './components/AppShell';
import { ErrorPage } from './components/ErrorPage';
import { JoinPage } from './pages/JoinPage';
import { LandingPage } from './pages/LandingPage';
import { LeftPage } from './pages/LeftPage';
import { MeetingPage } from './pages/MeetingPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/join" element={<JoinPage />} />
      <Route path="/room/:token" element={<MeetingPage />} />
      <Route path="/room/:token/left" element={<LeftPage />} />
      <Route
        path="*"
        element={
          <AppShell>
            <ErrorPage kind="page_not_found" />
          </AppShell>
        }
      />
    </Routes>
  );
}
