import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RoomContext, useParticipants } from '@livekit/components-react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentPanel } from '../components/AgentPanel';
import { I18nProvider } from '../i18n/I18nProvider';
import { simulatedRoom, type SimulatedRoom } from '../test/simulatedRoom';
import { agentStatusOf } from './agentStatus';
import { isAgentParticipant } from './participants';
import { AGENT_QUESTIONS_TOPIC, ANSWER_TIMEOUT_MS, MAX_QUESTION_LENGTH, normalizeQuestion, newQuestionId } from './questions';
import { AGENT_SUGGESTIONS_TOPIC } from './suggestions';
import { useAgentQuestions } from './useAgentQuestions';
import { useAgentSuggestions } from './useAgentSuggestions';

/** The assistant panel wired as the meeting wires it, in a (simulated) LiveKit room. */
function AssistantPanel() {
  const suggestions = useAgentSuggestions();
  const questions = useAgentQuestions(suggestions);
  const agent = useParticipants().find((p) => isAgentParticipant(p));
  return <AgentPanel suggestions={suggestions} agentPresent={!!agent} status={agentStatusOf(agent?.attributes)} questions={questions} />;
}

async function setUp({ agent = true } = {}) {
  const sim = await simulatedRoom();
  if (agent) sim.join({ identity: 'agent-AJ_1', name: 'Assistente', agent: true });
  const published = vi.spyOn(sim.room.localParticipant, 'publishData').mockResolvedValue(undefined);
  render(
    <RoomContext.Provider value={sim.room}>
      <I18nProvider initialLanguage="en">
        <AssistantPanel />
      </I18nProvider>
    </RoomContext.Provider>,
  );
  return { sim, published };
}

const sentQuestions = (published: { mock: { calls: unknown[][] } }) =>
  published.mock.calls.map(([payload, options]) => ({ json: new TextDecoder().decode(payload as Uint8Array), options }));

const answer = (sim: SimulatedRoom, inReplyTo: string, over: Record<string, unknown> = {}) =>
  act(() =>
    sim.sendData('agent-AJ_1', AGENT_SUGGESTIONS_TOPIC, {
      type: 'suggestion',
      kind: 'answer',
      id: `ans-${inReplyTo}`,
      text: 'Reavaliar em 30 dias, segundo o protocolo.',
      sources: [{ filename: 'protocolo.pdf', page: 3, similarity: 0.82 }],
      ts: '2026-12-01T13:07:00Z',
      mode: 'generative',
      in_reply_to: inReplyTo,
      question: null,
      ...over,
    }),
  );

afterEach(() => vi.useRealTimers());

describe('asking the assistant', () => {
  it('publishes the question, exactly, as reliable data on agent.questions', async () => {
    const user = userEvent.setup();
    const { published } = await setUp();
    await user.type(screen.getByLabelText('Your question to the assistant'), '  Quando reavaliar a pressão?  {Enter}');

    expect(published).toHaveBeenCalledTimes(1);
    const [{ json, options }] = sentQuestions(published);
    const message = JSON.parse(json);
    expect(Object.keys(message)).toEqual(['type', 'id', 'text']);
    expect(message).toEqual({ type: 'question', id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), text: 'Quando reavaliar a pressão?' });
    expect(options).toEqual({ reliable: true, topic: AGENT_QUESTIONS_TOPIC });
    expect(screen.getByLabelText('Your question to the assistant')).toHaveValue('');
    expect(screen.getByLabelText('Your question to the assistant')).toHaveFocus();
  });

  it('shows the question as pending until its answer arrives, then the answer with the question', async () => {
    const user = userEvent.setup();
    const { sim, published } = await setUp();
    await user.type(screen.getByLabelText('Your question to the assistant'), 'Quando reavaliar?');
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    const pending = screen.getByTestId('asked-question');
    expect(pending).toHaveAttribute('data-status', 'pending');
    expect(pending).toHaveTextContent('Quando reavaliar?');
    expect(pending).toHaveTextContent('Waiting for the answer…');

    const { id } = JSON.parse(sentQuestions(published)[0].json);
    answer(sim, 'someone-elses-question'); // another participant's answer does not settle ours
    expect(screen.getByTestId('asked-question')).toHaveAttribute('data-status', 'pending');
    answer(sim, id);

    expect(screen.queryByTestId('asked-question')).toBeNull();
    const shown = screen.getAllByTestId('agent-suggestion').find((item) => item.dataset.kind === 'answer' && item.textContent?.includes('Quando reavaliar?'));
    expect(shown).toBeDefined();
    expect(within(shown!).getByTestId('answered-question')).toHaveTextContent('Question: Quando reavaliar?');
    expect(shown).toHaveTextContent('protocolo.pdf, p. 3 · 82% match');
  });

  it('says no answer came after 30 seconds, and still takes a late answer', async () => {
    const user = userEvent.setup();
    const { sim, published } = await setUp();
    const field = screen.getByLabelText('Your question to the assistant');
    await user.type(field, 'Há interação?');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await act(async () => void fireEvent.keyDown(field, { key: 'Enter' }));
    const { id } = JSON.parse(sentQuestions(published)[0].json);

    act(() => vi.advanceTimersByTime(ANSWER_TIMEOUT_MS - 1));
    expect(screen.getByTestId('asked-question')).toHaveAttribute('data-status', 'pending');
    act(() => vi.advanceTimersByTime(1));
    expect(screen.getByTestId('asked-question')).toHaveAttribute('data-status', 'unanswered');
    expect(screen.getByTestId('asked-question')).toHaveTextContent(
      'No answer after 30 seconds. The assistant may be busy: try asking again.',
    );

    answer(sim, id, { question: 'Há interação?' });
    expect(screen.queryByTestId('asked-question')).toBeNull();
    expect(screen.getByTestId('answered-question')).toHaveTextContent('Question: Há interação?');
  });

  it('keeps the question when it could not be sent, and lets it be dismissed', async () => {
    const user = userEvent.setup();
    const { published } = await setUp();
    published.mockRejectedValueOnce(new Error('not connected'));
    await user.type(screen.getByLabelText('Your question to the assistant'), 'Dose máxima?{Enter}');
    const failed = await screen.findByText('The question could not be sent. Check your connection and try again.');
    expect(failed.closest('[data-testid="asked-question"]')).toHaveAttribute('data-status', 'failed');
    expect(screen.getByLabelText('Your question to the assistant')).toHaveValue('Dose máxima?');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('asked-question')).toBeNull();
  });

  it('cannot send an empty question, and Shift+Enter starts a new line instead of sending', async () => {
    const user = userEvent.setup();
    const { published } = await setUp();
    const field = screen.getByLabelText('Your question to the assistant');
    expect(screen.getByRole('button', { name: 'Ask' })).toBeDisabled();
    await user.type(field, '   {Enter}');
    expect(published).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Ask' })).toBeDisabled();

    await user.clear(field);
    await user.type(field, 'Linha um{Shift>}{Enter}{/Shift}linha dois');
    expect(field).toHaveValue('Linha um\nlinha dois');
    expect(published).not.toHaveBeenCalled();
    expect(field).toHaveAttribute('maxLength', String(MAX_QUESTION_LENGTH));
    expect(screen.getByText(/Enter sends, Shift\+Enter starts a new line\. 481 characters left/)).toBeInTheDocument();
  });

  it('cannot ask while no assistant is in the meeting', async () => {
    const user = userEvent.setup();
    const { sim, published } = await setUp({ agent: false });
    const field = screen.getByLabelText('Your question to the assistant');
    await user.type(field, 'Alguém aí?{Enter}');
    expect(published).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Ask' })).toBeDisabled();
    expect(field).toHaveAccessibleDescription(/The assistant has to be in the meeting to answer\./);

    act(() => sim.join({ identity: 'agent-AJ_1', name: 'Assistente', agent: true }));
    expect(screen.getByRole('button', { name: 'Ask' })).toBeEnabled();
  });
});

describe('question rules', () => {
  it('trims, refuses empty and over-long questions', () => {
    expect(normalizeQuestion('  Dose?  ')).toBe('Dose?');
    expect(normalizeQuestion(' \n ')).toBeNull();
    expect(normalizeQuestion('x'.repeat(MAX_QUESTION_LENGTH))).toHaveLength(MAX_QUESTION_LENGTH);
    expect(normalizeQuestion('x'.repeat(MAX_QUESTION_LENGTH + 1))).toBeNull();
  });

  it('makes v4 UUIDs even where crypto.randomUUID is missing (plain http)', () => {
    const randomUUID = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      const ids = new Set(Array.from({ length: 50 }, newQuestionId));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: randomUUID, configurable: true });
    }
  });
});
