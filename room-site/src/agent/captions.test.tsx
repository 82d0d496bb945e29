import { act, render, screen, waitFor, within } from '@testing-library/react';
import { RoomContext } from '@livekit/components-react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { LiveCaptions } from '../components/LiveCaptions';
import { I18nProvider } from '../i18n/I18nProvider';
import { simulatedRoom, type SimulatedRoom } from '../test/simulatedRoom';
import { captionLines, rememberNames, TRANSCRIPTION_TOPIC, type TranscriptionStream } from './captions';

const stream = (identity: string, segment: string, text: string, final: boolean, id = `${segment}:${text}`): TranscriptionStream => ({
  text,
  participantInfo: { identity },
  streamInfo: { id, attributes: { 'lk.segment_id': segment, 'lk.transcription_final': String(final), 'lk.transcribed_track_id': 'TR_1' } },
});

describe('caption lines', () => {
  const names = new Map([
    ['ana', 'Ana'],
    ['bruno', 'Bruno'],
  ]);

  it('replace an interim line by its final, in the place the utterance began', () => {
    const lines = captionLines(
      [
        stream('ana', 'SG_1', 'Bom', false),
        stream('bruno', 'SG_2', 'Olá', false),
        stream('ana', 'SG_1', 'Bom dia, doutora.', true),
      ],
      names,
    );
    expect(lines.map((l) => [l.speaker, l.text, l.final])).toEqual([
      ['Ana', 'Bom dia, doutora.', true],
      ['Bruno', 'Olá', false],
    ]);
  });

  it('keep only the last few, skip empty interims, and leave unknown speakers unnamed', () => {
    const lines = captionLines(
      [
        stream('ana', 'SG_1', 'um', true),
        stream('ana', 'SG_2', 'dois', true),
        stream('ana', 'SG_3', '  ', false),
        stream('bruno', 'SG_4', 'três', true),
        stream('someone-else', 'SG_5', 'quatro', true),
      ],
      names,
      3,
    );
    expect(lines.map((l) => `${l.speaker}:${l.text}`)).toEqual(['Ana:dois', 'Bruno:três', 'null:quatro']);
  });

  it('fall back to the stream id for a transcription without a segment id', () => {
    const bare = { text: 'oi', participantInfo: { identity: 'ana' }, streamInfo: { id: 'TS_9' } };
    expect(captionLines([bare], names)).toEqual([{ id: 'TS_9', speakerIdentity: 'ana', speaker: 'Ana', text: 'oi', final: false }]);
  });

  it('remember the name of someone who left, and follow a rename', () => {
    const seen = rememberNames(new Map(), [{ identity: 'ana', name: 'Ana' }, { identity: 'bruno', name: 'Bruno' }]);
    const afterAnaLeft = rememberNames(seen, [{ identity: 'bruno', name: 'Bruno' }]);
    expect(afterAnaLeft).toBe(seen); // nothing new: same map, no re-render churn
    expect(afterAnaLeft.get('ana')).toBe('Ana');
    expect(rememberNames(seen, [{ identity: 'bruno', name: 'Dr. Bruno' }]).get('bruno')).toBe('Dr. Bruno');
    expect(rememberNames(seen, [{ identity: 'carla', name: '' }]).has('carla')).toBe(false);
  });
});

describe('live captions in the room', () => {
  function inRoom(sim: SimulatedRoom, ui: ReactNode, language: 'en' | 'pt-BR' = 'en') {
    const wrap = (node: ReactNode) => (
      <RoomContext.Provider value={sim.room}>
        <I18nProvider initialLanguage={language}>{node}</I18nProvider>
      </RoomContext.Provider>
    );
    const view = render(wrap(ui));
    return { ...view, rerender: (node: ReactNode) => view.rerender(wrap(node)) };
  }
  // What the agent publishes for each utterance, on behalf of the speaker (the stream's sender).
  const say = (sim: SimulatedRoom, speaker: string, segment: string, text: string | string[], final: boolean) =>
    act(() =>
      sim.sendTextStream(speaker, TRANSCRIPTION_TOPIC, text, {
        'lk.segment_id': segment,
        'lk.transcription_final': String(final),
        'lk.transcribed_track_id': `TR_${speaker}`,
      }),
    );

  it('shows "Name: text" for each speaker, the final replacing the interim', async () => {
    const sim = await simulatedRoom();
    sim.join({ identity: 'ana', name: 'Ana Souza' });
    inRoom(sim, <LiveCaptions visible localName="Zeca" offlineNote={null} />);
    const region = screen.getByRole('region', { name: 'Live captions' });
    expect(region).toHaveTextContent('Captions will appear here when someone speaks.');
    expect(within(region).getByRole('list')).toHaveAttribute('aria-live', 'polite');

    say(sim, 'ana', 'SG_1', 'Bom', false);
    const interim = await screen.findByTestId('caption-line');
    expect(interim).toHaveTextContent('Ana Souza: Bom');
    expect(interim).toHaveAttribute('aria-hidden', 'true'); // read out once, when final

    say(sim, 'ana', 'SG_1', ['Bom dia, ', 'doutora.'], true);
    await waitFor(() => expect(screen.getByTestId('caption-line')).toHaveTextContent('Ana Souza: Bom dia, doutora.'));
    expect(screen.getAllByTestId('caption-line')).toHaveLength(1);
    expect(screen.getByTestId('caption-line')).not.toHaveAttribute('aria-hidden');
  });

  it('keeps the name of a speaker who left, and names strangers and yourself', async () => {
    const sim = await simulatedRoom();
    sim.join({ identity: 'bruno', name: 'Bruno' });
    inRoom(sim, <LiveCaptions visible localName="Zeca" offlineNote="Offline transcription, languages: pt, en." />, 'pt-BR');
    await waitFor(() => expect(sim.room.remoteParticipants.size).toBe(1));
    act(() => sim.leave('bruno'));
    expect(sim.room.remoteParticipants.size).toBe(0);
    // His last words are transcribed after he left.
    say(sim, 'bruno', 'SG_7', 'Até logo.', true);
    say(sim, 'visitor', 'SG_8', 'Oi?', true);
    say(sim, sim.room.localParticipant.identity, 'SG_9', 'Tchau.', true);
    await waitFor(() => expect(screen.getAllByTestId('caption-line')).toHaveLength(3));
    expect(screen.getAllByTestId('caption-line').map((line) => line.textContent)).toEqual([
      'Bruno: Até logo.',
      'Alguém: Oi?',
      `${sim.room.localParticipant.name}: Tchau.`,
    ]);
    expect(screen.getByRole('region', { name: 'Legendas ao vivo' })).toHaveTextContent('languages: pt, en.');
  });

  it('keeps listening while hidden, so switching captions on shows what was just said', async () => {
    const sim = await simulatedRoom();
    sim.join({ identity: 'ana', name: 'Ana' });
    const view = inRoom(sim, <LiveCaptions visible={false} localName="Zeca" offlineNote={null} />);
    expect(screen.queryByTestId('live-captions')).toBeNull();
    await waitFor(() => expect(sim.room.remoteParticipants.size).toBe(1));
    say(sim, 'ana', 'SG_2', 'Pressão 12 por 8.', true);
    view.rerender(<LiveCaptions visible localName="Zeca" offlineNote={null} />);
    await waitFor(() => expect(screen.getByTestId('live-captions')).toHaveTextContent('Ana: Pressão 12 por 8.'));
  });
});
