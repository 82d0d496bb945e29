import { Navigate, Route, Routes, useParams } from 'react-router';
import { AppShell } from './components/AppShell';
import { ErrorPage } from './components/ErrorPage';
import { leftPath, roomPath } from './invitation';
import { JoinPage } from './pages/JoinPage';
import { LandingPage } from './pages/LandingPage';
import { LeftPage } from './pages/LeftPage';
import { MeetingPage } from './pages/MeetingPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/join" element={<JoinPage />} />
      <Route path="/room" element={<MeetingPage />} />
      <Route path="/room/left" element={<LeftPage />} />
      {/* Addresses of tabs opened before the token moved to the fragment. */}
      <Route path="/room/:token" element={<LegacyRoomPath to={roomPath} />} />
      <Route path="/room/:token/left" element={<LegacyRoomPath to={leftPath} />} />
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

/** `/room/<token>` (earlier versions) → the same page with the token in the fragment. */
function LegacyRoomPath({ to }: { to: (token: string) => string }) {
  const { token = '' } = useParams();
  return <Navigate to={to(token)} replace />;
}
