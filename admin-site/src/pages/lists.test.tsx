import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderApp, session } from '../test/render';

const entity = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Clínica ${i}`, type: 'medical_clinic', active: true,
  department_count: i % 3, max_participants: 10, timezone: 'America/Sao_Paulo', locale: 'pt-BR', default_instructions: null,
  recording_retention_days: 30, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
});

const room = (i: number, start: string, status = 'SCHEDULED') => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, entity_id: ENTITY_ID, department_id: null, organizer_id: 'u-1',
  organizer_name: 'Ana Admin', title: `Consulta ${i}`, description: null, scheduled_start: start,
  scheduled_end: new Date(Date.parse(start) + 1800_000).toISOString(), timezone: 'America/Sao_Paulo', custom_instructions: null,
  max_participants: 10, assistant_enabled: true, status, livekit_room_name: null, participant_count: 1, actual_participants: 0,
  started_at: null, ended_at: null, cancelled_at: null, created_at: start, updated_at: start,
});

describe('entities list (MANAGER)', () => {
  it('searches as you type, filters by status and pages through the results', async () => {
    const user = userEvent.setup();
    const queries: URLSearchParams[] = [];
    renderApp('/entities', {
      as: session('MANAGER'),
      routes: {
        'GET /api/v1/entities': (r) => {
          const q = new URL(r.url).searchParams;
          queries.push(q);
          const page = Number(q.get('page') ?? 1);
          return json(200, { items: [entity(page * 100 + 1), entity(page * 100 + 2)], total: 45, page, limit: Number(q.get('limit')) });
        },
      },
    });
    expect(await screen.findByText('Clínica 101')).toBeInTheDocument();
    expect(queries.at(-1)?.get('active')).toBe('true'); // active ones first
    await user.type(screen.getByLabelText('Search by name'), 'card');
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('card'));
    expect(queries.filter((q) => q.get('q') && q.get('q') !== 'card')).toHaveLength(0); // one request, not one per key

    const pages = screen.getByRole('navigation', { name: 'Pages' });
    expect(within(pages).getByText('Page 1 of 3')).toBeInTheDocument();
    await user.click(within(pages).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(queries.at(-1)?.get('page')).toBe('2'));
    expect(await screen.findByText('Clínica 201')).toBeInTheDocument();
    expect(queries.at(-1)?.get('q')).toBe('card');

    await user.selectOptions(screen.getByLabelText('Status'), 'Inactive');
    await waitFor(() => expect(queries.at(-1)?.get('active')).toBe('false'));
    expect(queries.at(-1)?.get('page')).toBe('1'); // a new filter starts again at page 1
  });
});

describe('dashboard', () => {
  it('lists the next meetings, soonest first, and recent activity', async () => {
    const hour = 3600_000;
    const now = Date.now();
    // 103 scheduled meetings; the API orders them as asked (latest start first by default).
    const upcoming = Array.from({ length: 103 }, (_, i) => room(i + 1, new Date(now + (103 - i) * hour).toISOString()));
    renderApp('/', {
      routes: {
        'GET /api/v1/stats': () => json(200, { entities: 1, active_entities: 1, departments: 2, professionals: 3, meetings_total: 105,
          meetings_upcoming: 103, meetings_active: 0, active_users: 4 }),
        'GET /api/v1/rooms': (r) => {
          const q = new URL(r.url).searchParams;
          if (q.get('status') === 'SCHEDULED') {
            const page = Number(q.get('page') ?? 1);
            const limit = Number(q.get('limit'));
            const ordered = q.get('order') === 'asc' ? [...upcoming].reverse() : upcoming;
            return json(200, { items: ordered.slice((page - 1) * limit, page * limit), total: 103, page, limit });
          }
          expect(q.get('to')).toBeTruthy(); // the past 30 days only
          return json(200, { items: [room(900, new Date(now - 2 * hour).toISOString(), 'COMPLETED'),
            room(901, new Date(now - 50 * hour).toISOString(), 'CANCELLED')], total: 2, page: 1, limit: 8 });
        },
        'GET /api/v1/knowledge-base/documents': () => json(200, { items: [{
          id: 'doc-1', entity_id: ENTITY_ID, department_id: null, department_name: null, filename: 'protocolo.pdf', size_bytes: 1000,
          status: 'completed', status_reason: null, page_count: 4, chunk_count: 7, embedding_model: 'local', processing_started_at: null,
          completed_at: null, created_at: new Date(now - 10 * hour).toISOString(), updated_at: new Date(now - 10 * hour).toISOString(),
        }], total: 1, page: 1, limit: 100 }),
      },
    });
    const next = await screen.findByTestId('upcoming');
    const titles = within(next).getAllByRole('link').map((a) => a.textContent);
    expect(titles).toEqual(['Consulta 103', 'Consulta 102', 'Consulta 101', 'Consulta 100', 'Consulta 99']);
    expect(next).toHaveTextContent('1 participant'); // one, not "1 participants"
    expect(next).not.toHaveTextContent('1 participants');

    const recent = await screen.findByTestId('recent-activity');
    const lines = within(recent).getAllByTestId('activity').map((li) => li.textContent ?? '');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('Meeting “Consulta 900”');
    expect(lines[0]).toContain('Completed');
    expect(lines[1]).toContain('Document protocolo.pdf');
    expect(lines[2]).toContain('Meeting “Consulta 901”');
    expect(lines[2]).toContain('Cancelled');
  });
});
