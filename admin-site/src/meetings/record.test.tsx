import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ENTITY_ID, json, renderApp } from '../test/render';
import { splitMatches } from './highlight';

const ROOM = '00000000-0000-4000-8000-0000000000a1';
const START = '2026-12-01T13:00:00Z';

const room = {
  id: ROOM, entity_id: ENTITY_ID, department_id: null, organizer_id: 'u-1', organizer_name: 'Ana Admin', title: 'Retorno da Carla',
  description: null, scheduled_start: START, scheduled_end: '2026-12-01T13:30:00Z', timezone: 'America/Sao_Paulo',
  custom_instructions: null, max_participants: 10, assistant_enabled: true, record: true, status: 'COMPLETED',
  livekit_room_name: `room_${ROOM}`, participant_count: 1, actual_participants: 1, started_at: '2026-12-01T13:02:00Z',
  ended_at: '2026-12-01T13:31:00Z', cancelled_at: null, created_at: START, updated_at: START, participants: [],
};

const said = [
  ['Carla Dias', 'Bom dia, doutor. A pressão continua alta de manhã.'],
  ['Dr. Lima', 'Vamos ajustar a dose. Meça a PRESSÃO duas vezes ao dia.'],
  ['Carla Dias', 'Combinado, volto em duas semanas.'],
];
const segment = (i: number) => ({
  id: i + 1, participant_id: null, speaker_name: said[i % 3][0], text: said[i % 3][1], language: 'pt',
  started_at: new Date(Date.parse('2026-12-01T13:02:00Z') + i * 65_000).toISOString(),
  ended_at: new Date(Date.parse('2026-12-01T13:02:00Z') + i * 65_000 + 8000).toISOString(),
});

const usage = {
  room_id: ROOM,
  items: [{
    id: 'usage-1', started_at: '2026-12-01T13:02:00Z', ended_at: '2026-12-01T13:31:00Z', duration_seconds: 1740,
    llm_model: 'openai:gpt-4o-mini', stt_model: 'openai:gpt-4o-mini-transcribe', embedding_model: 'openai:text-embedding-3-small',
    prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000, stt_seconds: '600.000', embedding_tokens: 1_000_000,
    cost_usd: '0.500000', cost_breakdown: {
      llm_input: { model: 'openai:gpt-4o-mini', tokens: 1_000_000, usd: '0.150000000' },
      llm_output: { model: 'openai:gpt-4o-mini', tokens: 500_000, usd: '0.300000000' },
      stt: { model: 'openai:gpt-4o-mini-transcribe', seconds: 600, usd: '0.030000000' },
      embeddings: { model: 'openai:text-embedding-3-small', tokens: 1_000_000, usd: '0.020000000' }, total_usd: '0.500000',
    },
  }],
  totals: { sessions: 1, prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000, stt_seconds: '600.000',
    embedding_tokens: 1_000_000, duration_seconds: 1740, cost_usd: '0.500000' },
};

function routes(overrides: Record<string, (r: Request) => Response> = {}) {
  return {
    [`GET /api/v1/rooms/${ROOM}`]: () => json(200, room),
    [`GET /api/v1/rooms/${ROOM}/transcript`]: (r: Request) => {
      const query = new URL(r.url).searchParams;
      const q = (query.get('q') ?? '').toLowerCase();
      const all = Array.from({ length: 105 }, (_, i) => segment(i)).filter((s) => !q || s.text.toLowerCase().includes(q));
      const page = Number(query.get('page') ?? 1);
      const limit = Number(query.get('limit') ?? 20);
      return json(200, { items: all.slice((page - 1) * limit, page * limit), total: all.length, page, limit });
    },
    [`GET /api/v1/rooms/${ROOM}/summary`]: () => json(200, {
      room_id: ROOM, summary: 'Pressão alta pela manhã; dose ajustada.', action_items: ['Medir a pressão duas vezes ao dia', 'Retorno em duas semanas'],
      mode: 'generative', model: 'gpt-4o-mini', created_at: '2026-12-01T13:32:00Z', updated_at: '2026-12-01T13:32:00Z',
    }),
    [`GET /api/v1/rooms/${ROOM}/recordings`]: () => json(200, [{
      id: 'rec-1', status: 'available', duration_seconds: 1740, file_size_bytes: 48_200_000, started_at: '2026-12-01T13:02:00Z',
      ended_at: '2026-12-01T13:31:00Z', purge_at: '2026-12-31T13:31:00Z', created_at: '2026-12-01T13:31:00Z',
      download_url: 'http://s3.test/recordings/rec-1.mp4?X-Amz-Signature=abc', download_expires_at: new Date(Date.now() + 300_000).toISOString(),
    }]),
    [`GET /api/v1/rooms/${ROOM}/agent-usage`]: () => json(200, usage),
    ...overrides,
  };
}

describe('splitMatches', () => {
  it('cuts the text at every match, whatever the case, keeping the text as written', () => {
    expect(splitMatches('A pressão, PRESSÃO e Pressão.', 'pressão')).toEqual([
      { text: 'A ', match: false }, { text: 'pressão', match: true }, { text: ', ', match: false }, { text: 'PRESSÃO', match: true },
      { text: ' e ', match: false }, { text: 'Pressão', match: true }, { text: '.', match: false },
    ]);
    expect(splitMatches('preço (R$ 10)', '(r$')).toEqual([{ text: 'preço ', match: false }, { text: '(R$', match: true }, { text: ' 10)', match: false }]);
    expect(splitMatches('nada aqui', '  ')).toEqual([{ text: 'nada aqui', match: false }]);
  });
});

describe('a meeting after it ended', () => {
  it('shows the transcript with speakers and times, and a search asks the API and marks the matches', async () => {
    const user = userEvent.setup();
    const { calls } = renderApp(`/meetings/${ROOM}`, { routes: routes() });
    const transcript = await screen.findByTestId('transcript');
    await waitFor(() => expect(within(transcript).getAllByTestId('segment')).toHaveLength(100));
    const first = within(transcript).getAllByTestId('segment')[0];
    expect(first).toHaveTextContent('00:00');
    expect(first).toHaveTextContent('Carla Dias');
    expect(within(transcript).getAllByTestId('segment')[2]).toHaveTextContent('02:10'); // 130 s after the start
    expect(within(transcript).getByTestId('transcript-count')).toHaveTextContent('100 of 105 passages');

    await user.click(within(transcript).getByRole('button', { name: 'Show more of the transcript' }));
    await waitFor(() => expect(within(transcript).getAllByTestId('segment')).toHaveLength(105));
    expect(within(transcript).queryByRole('button', { name: 'Show more of the transcript' })).not.toBeInTheDocument();

    await user.type(within(transcript).getByLabelText('Search the transcript'), 'pressão');
    await waitFor(() => expect(within(transcript).getByTestId('transcript-count')).toHaveTextContent('70 passages match'), { timeout: 5000 });
    const asked = calls.map((c) => new URL(c.url)).filter((u) => u.pathname.endsWith('/transcript') && u.searchParams.get('q'));
    expect(asked.map((u) => u.searchParams.get('q'))).toEqual(['pressão']); // one request, not one per key
    const marks = [...transcript.querySelectorAll('mark')].map((mk) => mk.textContent);
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks)).toEqual(new Set(['pressão', 'PRESSÃO']));
    expect(within(transcript).getAllByTestId('segment-text')[1].textContent).toBe('Vamos ajustar a dose. Meça a PRESSÃO duas vezes ao dia.');

    await user.clear(within(transcript).getByLabelText('Search the transcript'));
    await user.type(within(transcript).getByLabelText('Search the transcript'), 'insulina');
    expect(await within(transcript).findByText('Nothing said in this meeting contains “insulina”.', {}, { timeout: 5000 })).toBeInTheDocument();
  }, 60_000); // a hundred passages drawn in jsdom on a busy machine

  it('shows the summary, the recording to play and download, and the AI usage with its breakdown', async () => {
    renderApp(`/meetings/${ROOM}`, { routes: routes() });
    const summary = await screen.findByTestId('summary-text');
    expect(summary).toHaveTextContent('Pressão alta pela manhã; dose ajustada.');
    expect(within(screen.getByTestId('action-items')).getAllByRole('listitem').map((li) => li.textContent))
      .toEqual(['Medir a pressão duas vezes ao dia', 'Retorno em duas semanas']);
    expect(screen.getByTestId('meeting-recorded')).toHaveTextContent('Yes');

    const recording = await screen.findByTestId('recording');
    const url = 'http://s3.test/recordings/rec-1.mp4?X-Amz-Signature=abc';
    expect(within(recording).getByTestId('recording-player')).toHaveAttribute('src', url);
    expect(within(recording).getByRole('link', { name: 'Download' })).toHaveAttribute('href', url);
    expect(within(recording).getByTestId('recording-duration')).toHaveTextContent('29 min');
    expect(within(recording).getByTestId('recording-size')).toHaveTextContent('48.2 MB');
    expect(within(recording).getByTestId('recording-purge')).toHaveTextContent('Dec 31, 2026');

    const usageSection = await screen.findByTestId('meeting-usage');
    await waitFor(() => expect(within(usageSection).getByTestId('usage-cost-value')).toHaveTextContent('$0.50'));
    expect(within(usageSection).getByTestId('usage-tokens-value')).toHaveTextContent('1,500,000');
    expect(within(usageSection).getByTestId('usage-speech-value')).toHaveTextContent('10 min');
    const rows = within(within(usageSection).getByTestId('usage-breakdown')).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toContain('Assistant: text readopenai:gpt-4o-mini1,000,000 tokens$0.15');
    expect(rows).toContain('Speech to textopenai:gpt-4o-mini-transcribe10 min$0.03');
  });

  it('says in plain words when there is no summary, transcript, recording or usage yet', async () => {
    renderApp(`/meetings/${ROOM}`, {
      routes: routes({
        [`GET /api/v1/rooms/${ROOM}`]: () => json(200, { ...room, record: false }),
        [`GET /api/v1/rooms/${ROOM}/summary`]: () => json(404, { error: { code: 'summary_not_found', message: 'This meeting has no summary yet' } }),
        [`GET /api/v1/rooms/${ROOM}/transcript`]: () => json(200, { items: [], total: 0, page: 1, limit: 100 }),
        [`GET /api/v1/rooms/${ROOM}/recordings`]: () => json(200, []),
        [`GET /api/v1/rooms/${ROOM}/agent-usage`]: () => json(200, { room_id: ROOM, items: [], totals: usage.totals }),
      }),
    });
    expect(await within(await screen.findByTestId('summary')).findByText(/No summary yet/)).toBeInTheDocument();
    expect(await within(screen.getByTestId('transcript')).findByText(/No transcript/)).toBeInTheDocument();
    expect(await within(screen.getByTestId('recordings')).findByText('This meeting is not recorded.')).toBeInTheDocument();
    expect(await within(screen.getByTestId('meeting-usage')).findByText(/did not take part/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument(); // a missing summary is not an error
  });
});
