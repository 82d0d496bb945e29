import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderApp, session } from '../test/render';

const figures = (cost: string, tokens: number, stt = '61.500') => ({
  sessions: 2, prompt_tokens: tokens - 1000, completion_tokens: 1000, total_tokens: tokens, stt_seconds: stt,
  embedding_tokens: 0, duration_seconds: 3600, cost_usd: cost,
});
const meeting = (i: number) => ({
  ...figures('0.100000', 1000), room_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, title: `Consulta ${i}`,
  entity_id: ENTITY_ID, entity_name: 'Clínica Cardio Saúde', scheduled_start: '2026-11-10T13:00:00Z', first_started_at: '2026-11-10T13:02:00Z',
});

// Totals that are NOT the sum of the page's rows: the page must show the API's, never add up its own.
const report = (page: number) => ({
  items: Array.from({ length: page === 1 ? 20 : 5 }, (_, i) => meeting((page - 1) * 20 + i + 1)),
  total: 25, page, limit: 20,
  totals: figures('12.503975', 1_503_000, '661.500'),
  by_entity: [{ ...figures('12.003975', 1_500_000), entity_id: ENTITY_ID, entity_name: 'Clínica Cardio Saúde' },
    { ...figures('0.500000', 3000), entity_id: 'e-2', entity_name: 'Design Studio XYZ' }],
  by_month: [{ ...figures('4.000000', 500_000), month: '2026-10' }, { ...figures('8.503975', 1_003_000), month: '2026-11' }],
});

const entity = (recordMeetings: boolean) => ({
  id: ENTITY_ID, name: 'Clínica', type: 'medical_clinic', default_instructions: null, max_participants: 10,
  recording_retention_days: 30, record_meetings: recordMeetings, locale: 'pt-BR', timezone: 'America/Sao_Paulo',
  assistant_enabled: true, active: true, department_count: 0, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
});

describe('the usage page', () => {
  it("shows the API's totals, per month, per meeting page by page, for an entity admin's own entity", async () => {
    const user = userEvent.setup();
    const queries: URLSearchParams[] = [];
    renderApp('/usage', {
      routes: {
        'GET /api/v1/agent-usage': (r) => {
          const q = new URL(r.url).searchParams;
          queries.push(q);
          return json(200, report(Number(q.get('page') ?? 1)));
        },
      },
    });
    const totals = await screen.findByTestId('usage-totals');
    expect(within(totals).getByTestId('total-cost-value')).toHaveTextContent('$12.503975');
    expect(within(totals).getByTestId('total-tokens-value')).toHaveTextContent('1,503,000');
    expect(within(totals).getByTestId('total-speech-value')).toHaveTextContent('11 min 02 s');
    expect(within(totals).getByTestId('total-meetings-value')).toHaveTextContent('25');
    expect(await screen.findByTestId('usage-chart', {}, { timeout: 15_000 })).toHaveAccessibleName('Cost per month (USD)');
    const months = within(screen.getByTestId('usage-by-month')).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(months).toEqual([expect.stringContaining('$4.00'), expect.stringContaining('$8.503975')]);
    expect(months[0]).toMatch(/^Oct 2026/);
    expect(screen.queryByTestId('usage-by-entity')).not.toBeInTheDocument(); // one entity: theirs
    expect(screen.queryByTestId('usage-entity')).not.toBeInTheDocument();
    expect(screen.getByTestId('usage-filters')).toHaveTextContent('Clínica');
    expect(queries.at(-1)?.get('entity_id')).toBeNull(); // the API scopes an entity admin itself

    expect(screen.getAllByTestId('usage-meeting')).toHaveLength(20);
    await user.click(within(screen.getByRole('navigation', { name: 'Pages' })).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getAllByTestId('usage-meeting')).toHaveLength(5));
    expect(queries.at(-1)?.get('page')).toBe('2');
    expect(within(screen.getByTestId('usage-totals')).getByTestId('total-cost-value')).toHaveTextContent('$12.503975');

    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await waitFor(() => expect(queries.at(-1)?.get('from_date')).toBe('2026-11-01'));
    expect(queries.at(-1)?.get('page')).toBe('1');
  }, 60_000); // the chart's chunk is loaded on first use

  it('lets a MANAGER pick the entity, and shows every entity otherwise', async () => {
    const user = userEvent.setup();
    const queries: URLSearchParams[] = [];
    renderApp('/usage', {
      as: session('MANAGER'),
      routes: {
        'GET /api/v1/entities': () => json(200, { items: [entity(false)], total: 1, page: 1, limit: 100 }),
        'GET /api/v1/agent-usage': (r) => { queries.push(new URL(r.url).searchParams); return json(200, report(1)); },
      },
    });
    const perEntity = await screen.findByTestId('usage-by-entity');
    expect(within(perEntity).getAllByRole('row').slice(1).map((r) => r.textContent))
      .toEqual(['Clínica Cardio Saúde1,500,0001 min 02 s$12.003975', 'Design Studio XYZ3,0001 min 02 s$0.50']);
    expect(queries.at(-1)?.get('entity_id')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Entity'), 'Clínica');
    await waitFor(() => expect(queries.at(-1)?.get('entity_id')).toBe(ENTITY_ID));
  });

  it('says so when there was no AI usage in the period', async () => {
    renderApp('/usage', {
      routes: { 'GET /api/v1/agent-usage': () => json(200, { ...report(1), items: [], total: 0, totals: figures('0.000000', 0, '0.000'), by_entity: [], by_month: [] }) },
    });
    expect(await screen.findByText('No AI usage in this period.')).toBeInTheDocument();
    expect(screen.getByTestId('total-cost-value')).toHaveTextContent('$0.00');
  });
});

describe('the dashboard', () => {
  it("shows this month's AI cost and tokens, from the usage API for this month, with a link to the usage page", async () => {
    const queries: URLSearchParams[] = [];
    renderApp('/', {
      routes: {
        'GET /api/v1/stats': () => json(200, { entities: 1, active_entities: 1, departments: 0, professionals: 0, meetings_total: 0,
          meetings_upcoming: 0, meetings_active: 0, active_users: 1 }),
        'GET /api/v1/rooms': () => json(200, { items: [], total: 0, page: 1, limit: 8 }),
        'GET /api/v1/knowledge-base/documents': () => json(200, { items: [], total: 0, page: 1, limit: 100 }),
        'GET /api/v1/agent-usage': (r) => { queries.push(new URL(r.url).searchParams); return json(200, report(1)); },
      },
    });
    const card = await screen.findByTestId('stat-ai');
    await waitFor(() => expect(within(card).getByTestId('stat-ai-cost')).toHaveTextContent('$12.503975'));
    expect(within(card).getByTestId('stat-ai-sub')).toHaveTextContent('1,503,000 tokens · 25 meetings');
    const now = new Date();
    const month = now.toISOString().slice(0, 7);
    expect(queries[0].get('from_date')).toBe(`${month}-01`);
    expect(queries[0].get('to_date')?.slice(0, 7)).toBe(month);
    expect(within(card).getByRole('link', { name: 'See AI usage' })).toHaveAttribute('href', '/usage');
    expect(within(screen.getByTestId('main-nav')).getByRole('link', { name: 'AI usage' })).toBeInTheDocument();
  });
});

describe('scheduling a meeting of an entity that records', () => {
  const routes = (recordMeetings: boolean, bodies: unknown[]) => ({
    [`GET /api/v1/entities/${ENTITY_ID}`]: () => json(200, entity(recordMeetings)),
    [`GET /api/v1/entities/${ENTITY_ID}/departments`]: () => json(200, []),
    'POST /api/v1/rooms': async (r: Request) => { bodies.push(await r.json()); return json(422, { error: { code: 'validation_error', message: 'stop here' } }); },
  });

  it('offers the record switch, on by default, says participants are told, and may turn it off', async () => {
    const user = userEvent.setup();
    const bodies: Record<string, unknown>[] = [];
    renderApp('/meetings/new', { routes: routes(true, bodies) });
    const toggle = await screen.findByRole('switch', { name: 'Record this meeting' });
    expect(toggle).toBeChecked();
    expect(toggle).toHaveAccessibleDescription(/told, before joining and during it, that it is recorded/);
    await user.click(toggle);
    expect(screen.getByTestId('record-hint')).toHaveTextContent('will not be recorded');
    await user.type(screen.getByLabelText('Title'), 'Retorno');
    await user.type(screen.getByLabelText('Name 1'), 'Carla');
    await user.type(screen.getByLabelText('E-mail'), 'carla@example.org');
    await user.click(screen.getByTestId('schedule-submit'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].record).toBe(false);
  });

  it('shows no switch when the entity does not record meetings, and sends no record field', async () => {
    const user = userEvent.setup();
    const bodies: Record<string, unknown>[] = [];
    renderApp('/meetings/new', { routes: routes(false, bodies) });
    await screen.findByTestId('meeting-timezone');
    await waitFor(() => expect(screen.getByTestId('meeting-timezone')).toHaveTextContent('America/Sao_Paulo'));
    expect(screen.queryByRole('switch', { name: 'Record this meeting' })).not.toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'AI assistant in this meeting' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Title'), 'Retorno');
    await user.type(screen.getByLabelText('Name 1'), 'Carla');
    await user.type(screen.getByLabelText('E-mail'), 'carla@example.org');
    await user.click(screen.getByTestId('schedule-submit'));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).not.toHaveProperty('record');
  });
});
