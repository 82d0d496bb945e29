import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AgentPanel } from '../components/AgentPanel';
import { I18nProvider } from '../i18n/I18nProvider';
import { agentStatusOf } from './agentStatus';
import { addSuggestion, AGENT_SUGGESTIONS_TOPIC, decodeSuggestion } from './suggestions';
import { useAgentSuggestions } from './useAgentSuggestions';

type TextStreamHandler = (reader: { readAll: () => Promise<string> }) => Promise<void>;
const listeners = vi.hoisted(() => new Map<string, (message: { payload: Uint8Array; topic?: string }) => void>());
const textStreams = vi.hoisted(() => new Map<string, TextStreamHandler>());
const room = vi.hoisted(() => ({
  registerTextStreamHandler: (topic: string, handler: TextStreamHandler) => void textStreams.set(topic, handler),
  unregisterTextStreamHandler: (topic: string) => void textStreams.delete(topic),
}));
vi.mock('@livekit/components-react', () => ({
  useDataChannel: (topic: string, onMessage: (message: { payload: Uint8Array }) => void) => {
    listeners.set(topic, onMessage);
    return { message: undefined, send: vi.fn(), isSending: false };
  },
  useMaybeRoomContext: () => room,
}));

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const suggestion = {
  type: 'suggestion',
  text: 'Para hipertensão estágio 1, o protocolo recomenda reavaliar em 30 dias.',
  sources: [{ filename: 'protocolo-hipertensao.pdf', page: 12, similarity: 0.873 }],
  ts: '2026-12-01T13:05:00Z',
};

function LivePanel() {
  return <AgentPanel suggestions={useAgentSuggestions()} agentPresent />;
}

describe('agent suggestions', () => {
  it('decodes the agent.suggestions payload', () => {
    expect(decodeSuggestion(encode(suggestion))).toMatchObject({
      text: suggestion.text,
      ts: suggestion.ts,
      sources: [{ filename: 'protocolo-hipertensao.pdf', page: 12, similarity: 0.873 }],
      mode: null,
    });
  });

  it('decodes the current shape: kind, the agent\'s id, mode and what an answer replies to', () => {
    const answer = {
      type: 'suggestion',
      kind: 'answer',
      id: 'sug-42',
      text: 'Reavaliar em 30 dias.',
      sources: [{ filename: 'protocolo.pdf', page: 3, similarity: 0.82 }],
      ts: '2026-12-01T13:07:00Z',
      mode: 'generative',
      in_reply_to: 'q-1',
      question: 'Quando reavaliar?',
    };
    expect(decodeSuggestion(encode(answer))).toEqual({
      id: 'sug-42',
      kind: 'answer',
      text: 'Reavaliar em 30 dias.',
      sources: [{ filename: 'protocolo.pdf', page: 3, similarity: 0.82 }],
      ts: '2026-12-01T13:07:00Z',
      mode: 'generative',
      inReplyTo: 'q-1',
      question: 'Quando reavaliar?',
    });
    const tip = decodeSuggestion(encode({ ...suggestion, kind: 'tip', id: 'tip-1', in_reply_to: null, question: null }));
    expect(tip).toMatchObject({ kind: 'tip', id: 'tip-1', inReplyTo: null, question: null });
  });

  it('reads the first agents\' shape (no kind, no id) as a suggestion, and an unknown kind too', () => {
    expect(decodeSuggestion(encode(suggestion))).toMatchObject({ kind: 'suggestion', inReplyTo: null, question: null });
    expect(decodeSuggestion(encode({ ...suggestion, kind: 'summary' }))?.kind).toBe('suggestion');
  });

  it('drops a resent suggestion by the agent\'s id, even when its time differs', () => {
    const first = decodeSuggestion(encode({ ...suggestion, id: 'sug-1' }))!;
    const resent = decodeSuggestion(encode({ ...suggestion, id: 'sug-1', ts: '2026-12-01T13:09:00Z' }))!;
    const other = decodeSuggestion(encode({ ...suggestion, id: 'sug-2' }))!;
    expect(addSuggestion(addSuggestion(addSuggestion([], first), resent), other).map((s) => s.id)).toEqual(['sug-2', 'sug-1']);
  });

  it.each([['not json'], [{ type: 'transcript', text: 'x' }], [{ type: 'suggestion', text: '   ' }], [[1, 2]]])(
    'ignores payloads that are not suggestions: %j',
    (payload) => {
      expect(decodeSuggestion(encode(payload))).toBeNull();
    },
  );

  it('keeps suggestions with odd sources, dropping the unusable ones', () => {
    const decoded = decodeSuggestion(
      encode({ type: 'suggestion', text: 'x', sources: [{ filename: 'a.pdf' }, { page: 2 }, 'junk'], ts: 'not a date' }),
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(decoded?.sources).toEqual([{ filename: 'a.pdf', page: null, similarity: null }]);
    expect(decoded?.ts).toBe('2026-01-01T00:00:00.000Z');
  });

  it('lists newest first and drops a resent duplicate', () => {
    const first = decodeSuggestion(encode(suggestion))!;
    const second = decodeSuggestion(encode({ ...suggestion, text: 'Outra', ts: '2026-12-01T13:06:00Z' }))!;
    const list = addSuggestion(addSuggestion(addSuggestion([], first), second), first);
    expect(list.map((s) => s.text)).toEqual(['Outra', suggestion.text]);
  });

  it('renders suggestions received on the data topic, with their sources', () => {
    render(
      <I18nProvider initialLanguage="en">
        <LivePanel />
      </I18nProvider>,
    );
    const panel = screen.getByTestId('agent-panel');
    expect(panel).toHaveTextContent('Suggestions from the AI assistant will appear here');

    act(() => listeners.get(AGENT_SUGGESTIONS_TOPIC)!({ payload: encode(suggestion), topic: AGENT_SUGGESTIONS_TOPIC }));
    act(() => listeners.get(AGENT_SUGGESTIONS_TOPIC)!({ payload: encode('garbage') }));

    const items = within(panel).getAllByTestId('agent-suggestion');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(suggestion.text);
    expect(items[0]).toHaveTextContent('protocolo-hipertensao.pdf, p. 12 · 87% match');
  });

  it('also takes suggestions sent as a text stream on the topic', async () => {
    const { unmount } = render(
      <I18nProvider initialLanguage="en">
        <LivePanel />
      </I18nProvider>,
    );
    await act(() => textStreams.get(AGENT_SUGGESTIONS_TOPIC)!({ readAll: async () => JSON.stringify(suggestion) }));
    expect(screen.getByTestId('agent-suggestion')).toHaveTextContent(suggestion.text);
    unmount();
    expect(textStreams.has(AGENT_SUGGESTIONS_TOPIC)).toBe(false);
  });

  it('labels quotes made without a language model (offline mode)', () => {
    const offline = decodeSuggestion(encode({ ...suggestion, mode: 'extractive' }))!;
    render(
      <I18nProvider initialLanguage="pt-BR">
        <AgentPanel suggestions={[offline]} agentPresent={false} />
      </I18nProvider>,
    );
    expect(screen.getByText('Citação da base de conhecimento (modo offline)')).toBeInTheDocument();
    expect(screen.getByTestId('agent-presence')).toHaveTextContent('não está na reunião');
  });

  it('labels each kind, and shows the question an answer replies to', () => {
    const list = [
      { ...suggestion, kind: 'answer', id: 'a', text: 'Em 30 dias.', in_reply_to: 'q-1', question: 'Quando reavaliar?' },
      { ...suggestion, kind: 'tip', id: 't', text: 'Pergunte sobre o sal.' },
      { ...suggestion, id: 's' },
    ].map((payload) => decodeSuggestion(encode(payload))!);
    render(
      <I18nProvider initialLanguage="en">
        <AgentPanel suggestions={list} agentPresent />
      </I18nProvider>,
    );
    const items = screen.getAllByTestId('agent-suggestion');
    expect(items.map((item) => item.dataset.kind)).toEqual(['answer', 'tip', 'suggestion']);
    expect(items[0]).toHaveTextContent(/^Answer\s*Question: Quando reavaliar\?\s*Em 30 dias\./);
    expect(items[1]).toHaveTextContent(/^Tip/);
    expect(items[2]).toHaveTextContent(/^Suggestion/);
    expect(within(items[1]).queryByTestId('answered-question')).toBeNull();
  });

  it('says when the assistant works offline, and which languages its speech model handles', () => {
    const status = agentStatusOf({
      'doctorlive.mode': 'extractive',
      'doctorlive.stt': 'offline:whisper-base',
      'doctorlive.stt_languages': 'multilingual (pt, en, es, …)',
    });
    expect(status).toEqual({ extractive: true, offlineSpeech: true, speechModel: 'whisper-base', speechLanguages: 'multilingual (pt, en, es, …)' });
    render(
      <I18nProvider initialLanguage="pt-BR">
        <AgentPanel suggestions={[]} agentPresent status={status} />
      </I18nProvider>,
    );
    const note = screen.getByTestId('agent-offline-note');
    expect(note).toHaveTextContent('Modo offline: as sugestões citam os documentos da sua organização, sem modelo de linguagem.');
    expect(note).toHaveTextContent('A fala é transcrita por um modelo offline (whisper-base) que entende: multilingual (pt, en, es, …).');
  });

  it('shows no offline note for a cloud assistant, nor for one that set no attributes', () => {
    const cloud = agentStatusOf({ 'doctorlive.mode': 'generative', 'doctorlive.stt': 'openai:gpt-4o-mini-transcribe' });
    expect(cloud).toEqual({ extractive: false, offlineSpeech: false, speechModel: null, speechLanguages: null });
    expect(agentStatusOf(undefined)).toEqual(cloud);
    const speechOnly = agentStatusOf({ 'doctorlive.mode': 'generative', 'doctorlive.stt': 'offline:whisper-base' });
    render(
      <I18nProvider initialLanguage="en">
        <AgentPanel suggestions={[]} agentPresent status={speechOnly} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('agent-offline-note')).toHaveTextContent(/^Speech is transcribed by an offline model \(whisper-base\)\.$/);
  });
});
