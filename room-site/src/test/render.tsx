import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';
import type { ApiClient, MagicLinkPreview, MagicLinkValidation, RoomJoin } from '../api';
import { AppRoutes } from '../App';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Language } from '../i18n/languages';
import { RuntimeProvider } from '../RuntimeProvider';

export const TOKEN = 'f0e1d2c3-b4a5-4000-8000-123456789abc';

export const preview: MagicLinkPreview = {
  room: {
    id: '6d1c8f8e-0000-4000-8000-000000000001',
    title: 'Revisão de casos — cardiologia',
    description: null,
    scheduled_start: '2026-12-01T13:00:00Z',
    scheduled_end: '2026-12-01T14:00:00Z',
    status: 'SCHEDULED',
    organizer_name: 'Dra. Ana Souza',
    entity_name: 'Clínica Vida',
    recorded: false,
  },
  participant: { name: 'João Lima' },
};

export const validation: MagicLinkValidation = {
  room: preview.room,
  participant: { id: 'p-1', name: 'João Lima' },
  join_token: 'join-token-abc',
  expires_in: 3600,
};

export const roomJoin: RoomJoin = {
  recorded: false,
  livekit_url: 'wss://livekit.example.test',
  livekit_token: 'lk-token',
  room_name: 'room_6d1c8f8e',
  participant_identity: 'participant_p-1',
};

export function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  return {
    getMagicLinkPreview: vi.fn(async () => preview),
    validateMagicLink: vi.fn(async () => validation),
    joinRoom: vi.fn(async () => roomJoin),
    ...overrides,
  };
}

/** Shows where the app navigated to, so tests can assert on redirects. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search + location.hash}</output>;
}

export function renderApp(
  path: string,
  { api = fakeApi(), language = 'en' as Language, ui }: { api?: ApiClient; language?: Language; ui?: ReactElement } = {},
) {
  const result = render(
    <RuntimeProvider config={{ apiUrl: '', livekitUrl: 'wss://fallback.example.test' }} api={api}>
      <I18nProvider initialLanguage={language}>
        <MemoryRouter initialEntries={[path]}>
          {ui ?? <AppRoutes />}
          <Routes>
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </RuntimeProvider>,
  );
  return { ...result, api };
}
