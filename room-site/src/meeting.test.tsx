import { render, screen, within } from '@testing-library/react';
import { DisconnectReason } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { isAgentParticipant } from './agent/participants';
import { ConnectionStatus } from './components/ConnectionStatus';
import { ParticipantList } from './components/ParticipantList';
import { I18nProvider } from './i18n/I18nProvider';
import { formatMeetingTime } from './i18n/format';
import type { Language } from './i18n/languages';
import { chooseSpotlight } from './layout/spotlight';
import { connectionPhaseOf, leftReasonOf } from './meetingExit';
import { summarizeParticipant, type RoomParticipantLike } from './roomParticipants';
import { parseRuntimeConfig } from './config';

const inLanguage = (language: Language, ui: React.ReactElement) =>
  render(<I18nProvider initialLanguage={language}>{ui}</I18nProvider>);

const person = (over: Partial<RoomParticipantLike> = {}): RoomParticipantLike => ({
  identity: 'participant_1',
  name: 'Ana',
  isLocal: false,
  isMicrophoneEnabled: true,
  isSpeaking: false,
  connectionQuality: 'excellent',
  ...over,
});

describe('the AI assistant', () => {
  it.each([
    [{ isAgent: true }, true],
    [{ kind: 'agent' }, true],
    [{ metadata: '{"type":"AGENT","entity":"x"}' }, true],
    [{ metadata: '{"type":"agent"}' }, true],
    [{ metadata: '{"type":"PARTICIPANT"}' }, false],
    [{ metadata: 'not json' }, false],
    [{}, false],
  ])('is recognised from %j → %s', (participant, expected) => {
    expect(isAgentParticipant(participant)).toBe(expected);
  });

  it('gets an "AI assistant" badge in the participant list', () => {
    const list = [
      person({ identity: 'agent', name: 'Secretária', metadata: '{"type":"AGENT"}' }),
      person({ identity: 'me', name: '', isLocal: true, isMicrophoneEnabled: false }),
      person({ identity: 'p2', name: 'Bruno', connectionQuality: 'poor', isSpeaking: true }),
    ].map((participant) => summarizeParticipant(participant, 'Zeca'));
    inLanguage('en', <ParticipantList participants={list} />);

    const rows = screen.getAllByTestId('participant');
    expect(rows.map((row) => row.textContent?.split(' ')[0])).toEqual(['Zeca', 'Secretária', 'Bruno']);
    expect(within(rows[1]).getByTestId('ai-badge')).toHaveTextContent('AI assistant');
    expect(within(rows[0]).queryByTestId('ai-badge')).toBeNull();
    expect(within(rows[0]).getByRole('img', { name: 'Microphone off' })).toBeInTheDocument();
    expect(within(rows[2]).getByRole('img', { name: 'Poor connection' })).toBeInTheDocument();
    expect(screen.getByRole('heading')).toHaveTextContent('Participants (3)');
  });
});

describe('connection state', () => {
  it.each([
    ['connecting', 'connecting'],
    ['connected', 'connected'],
    ['reconnecting', 'reconnecting'],
    ['signalReconnecting', 'reconnecting'],
    ['disconnected', 'disconnected'],
  ])('%s is shown as %s', (state, phase) => {
    expect(connectionPhaseOf(state)).toBe(phase);
  });

  it('shows reconnecting visibly and keeps a stable machine-readable name', () => {
    inLanguage('pt-BR', <ConnectionStatus phase="reconnecting" />);
    expect(screen.getByRole('status')).toHaveTextContent('Reconectando…');
    expect(screen.getByTestId('connection-state')).toHaveTextContent(/^reconnecting$/);
  });

  it.each([
    [DisconnectReason.CLIENT_INITIATED, 'left'],
    [DisconnectReason.ROOM_DELETED, 'ended'],
    [DisconnectReason.DUPLICATE_IDENTITY, 'duplicate'],
    [DisconnectReason.SIGNAL_CLOSE, 'disconnected'],
    [undefined, 'disconnected'],
  ])('a disconnect for reason %s means %s', (reason, expected) => {
    expect(leftReasonOf(reason)).toBe(expected);
  });
});

describe('spotlight', () => {
  const tile = (identity: string, source = 'camera', isLocal = false) => ({ participant: { identity, isLocal }, source });

  it('goes to a shared screen first', () => {
    const screenShare = tile('b', 'screen_share');
    expect(chooseSpotlight([tile('a'), tile('b'), screenShare], 'a')).toBe(screenShare);
  });

  it('goes to the last remote speaker in meetings of three or more', () => {
    const tiles = [tile('me', 'camera', true), tile('a'), tile('b')];
    expect(chooseSpotlight(tiles, 'b')).toBe(tiles[2]);
    expect(chooseSpotlight(tiles, null)).toBeNull();
    expect(chooseSpotlight(tiles.slice(0, 2), 'a')).toBeNull();
  });
});

describe('meeting time', () => {
  it('is written in the reader’s language and time zone', () => {
    expect(formatMeetingTime('2026-12-01T13:00:00Z', '2026-12-01T14:00:00Z', 'pt-BR', 'America/Sao_Paulo')).toMatch(
      /^terça-feira, 1 de dezembro de 2026, 10:00\s*–\s*11:00 BRT$/,
    );
    expect(formatMeetingTime('2026-12-01T13:00:00Z', '2026-12-01T14:00:00Z', 'en', 'UTC')).toMatch(
      /^Tuesday, December 1, 2026, 1:00\s*–\s*2:00\sPM UTC$/,
    );
  });
});

describe('runtime config', () => {
  it('accepts config.json and tolerates missing fields', () => {
    expect(parseRuntimeConfig({ apiUrl: 'http://127.0.0.1:8000/', livekitUrl: 'wss://lk' })).toEqual({
      apiUrl: 'http://127.0.0.1:8000',
      livekitUrl: 'wss://lk',
    });
    expect(parseRuntimeConfig(null)).toEqual({ apiUrl: '', livekitUrl: '' });
  });
});

describe('the AI assistant as LiveKit sends it', () => {
  it('is recognised by participant kind AGENT and listed with its own name and the badge', async () => {
    const { Participant, ParticipantKind } = await import('livekit-client');
    const agent = new Participant('PA_9', 'agent-AJ_1', 'Assistente doctor-live', undefined, {}, undefined, ParticipantKind.AGENT);
    const human = new Participant('PA_8', 'ana', 'Ana', undefined, {}, undefined, ParticipantKind.STANDARD);
    expect(isAgentParticipant(agent)).toBe(true);
    expect(isAgentParticipant(human)).toBe(false);
    inLanguage('en', <ParticipantList participants={[agent, human].map((p) => summarizeParticipant(p))} />);
    const row = screen.getAllByTestId('participant').find((r) => within(r).queryByTestId('ai-badge'));
    expect(row).toHaveTextContent('Assistente doctor-live');
    expect(screen.getAllByTestId('ai-badge')).toHaveLength(1);
  });
});
