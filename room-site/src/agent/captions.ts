/**
 * Live captions: the agent transcribes every speaker and publishes LiveKit text streams on
 * topic `lk.transcription` (LiveKit's transcription convention) on behalf of the speaker, so a
 * stream's sender identity is the person who spoke. Attributes: `lk.segment_id` (one per
 * utterance; interim versions and the final one share it), `lk.transcription_final`
 * ("true"/"false") and `lk.transcribed_track_id`.
 */
export const TRANSCRIPTION_TOPIC = 'lk.transcription';
export const SEGMENT_ID_ATTRIBUTE = 'lk.segment_id';
export const FINAL_ATTRIBUTE = 'lk.transcription_final';

/** One received transcription stream (the shape of components-react's TextStreamData). */
export interface TranscriptionStream {
  text: string;
  participantInfo: { identity: string };
  streamInfo: { id: string; attributes?: Record<string, string> };
}

export interface CaptionLine {
  /** The segment id: an interim line and its final share it. */
  id: string;
  speakerIdentity: string;
  /** Display name, or null for someone this client never saw in the room. */
  speaker: string | null;
  text: string;
  final: boolean;
}

export interface NamedParticipant {
  identity: string;
  name?: string;
}

/**
 * The display names seen so far, by identity. Names are kept after people leave, so their
 * last words are still captioned under their name. Returns `known` itself when nothing changed.
 */
export function rememberNames(known: ReadonlyMap<string, string>, participants: NamedParticipant[]): ReadonlyMap<string, string> {
  let next: Map<string, string> | null = null;
  for (const { identity, name } of participants) {
    if (!name || known.get(identity) === name) continue;
    next ??= new Map(known);
    next.set(identity, name);
  }
  return next ?? known;
}

/**
 * The last `limit` caption lines in the order the utterances began: a later stream for the
 * same segment (the next interim, or the final) replaces the earlier text in place.
 */
export function captionLines(streams: TranscriptionStream[], names: ReadonlyMap<string, string>, limit = 3): CaptionLine[] {
  const bySegment = new Map<string, CaptionLine>();
  for (const stream of streams) {
    const attributes = stream.streamInfo.attributes ?? {};
    const id = attributes[SEGMENT_ID_ATTRIBUTE] || stream.streamInfo.id;
    const identity = stream.participantInfo.identity;
    bySegment.set(id, {
      id,
      speakerIdentity: identity,
      speaker: names.get(identity) ?? null,
      text: stream.text.trim(),
      final: attributes[FINAL_ATTRIBUTE] === 'true',
    });
  }
  return [...bySegment.values()].filter((line) => line.text).slice(-limit);
}
