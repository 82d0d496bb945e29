import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AgentPanel } from '../components/AgentPanel';
import { I18nProvider } from '../i18n/I18nProvider';
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
});
