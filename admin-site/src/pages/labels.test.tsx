import { screen } from '@testing-library/react';
import type { Role } from '../api/types';
import { ENTITY_ID, json, renderApp, session } from '../test/render';

const entity = {
  id: ENTITY_ID, name: 'Clínica', type: 'medical_clinic', default_instructions: 'Be brief.', max_participants: 10,
  recording_retention_days: 30, locale: 'pt-BR', timezone: 'America/Sao_Paulo', assistant_enabled: true, active: true,
  department_count: 1, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
};
const page = (items: unknown[]) => json(200, { items, total: items.length, page: 1, limit: 20 });
const routes = {
  [`GET /api/v1/entities/${ENTITY_ID}`]: () => json(200, entity),
  'GET /api/v1/entities': () => page([entity]),
  [`GET /api/v1/entities/${ENTITY_ID}/departments`]: () => json(200, [{ id: 'd-1', entity_id: ENTITY_ID, name: 'Cardiologia',
    instructions: null, active: true, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }]),
  [`GET /api/v1/entities/${ENTITY_ID}/professionals`]: () => json(200, []),
  [`GET /api/v1/entities/${ENTITY_ID}/users`]: () => json(200, []),
  'GET /api/v1/knowledge-base/documents': () => page([]),
  'GET /api/v1/rooms': () => page([]),
  'GET /api/v1/agent-usage': () => json(200, { items: [], total: 0, page: 1, limit: 20, by_entity: [], by_month: [], totals: {
    sessions: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, stt_seconds: '0.000', embedding_tokens: 0, duration_seconds: 0, cost_usd: '0.000000' } }),
  'GET /api/v1/stats': () => json(200, { entities: 1, active_entities: 1, departments: 1, professionals: 0, meetings_total: 0,
    meetings_upcoming: 0, meetings_active: 0, active_users: 1 }),
};

const PAGES: [string, Role | null, string][] = [
  ['/login', null, 'login-form'],
  ['/set-password?token=abc', null, 'set-password-form'],
  ['/account/password', 'ENTITY_ADMIN', 'main-nav'],
  ['/entities', 'MANAGER', 'entities-table'],
  ['/entities/new', 'MANAGER', 'entity-form'],
  [`/entities/${ENTITY_ID}`, 'MANAGER', 'invite-form'],
  ['/meetings', 'ENTITY_ADMIN', 'empty'],
  ['/meetings/new', 'ENTITY_ADMIN', 'meeting-form'],
  ['/knowledge', 'ENTITY_ADMIN', 'search-form'],
  ['/usage', 'MANAGER', 'usage-filters'],
];

describe('every form field has a label', () => {
  it.each(PAGES)('%s (%s)', async (path, role, ready) => {
    renderApp(path, { routes, as: role ? session(role) : null });
    await screen.findAllByTestId(ready);
    const fields = [...document.querySelectorAll<HTMLElement>('input, select, textarea')].filter((f) => f.getAttribute('aria-hidden') !== 'true');
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field).toHaveAccessibleName();
  });
});
