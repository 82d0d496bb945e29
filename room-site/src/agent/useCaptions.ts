import { useRef } from 'react';
import { useParticipants, useTranscriptions } from '@livekit/components-react';
import { captionLines, rememberNames, type CaptionLine } from './captions';

/**
 * The latest caption lines of the meeting. LiveKit's useTranscriptions owns the room's one
 * `lk.transcription` text-stream handler and merges the versions of each segment; names come
 * from the room's participants, remembered after they leave. `localName` names you until
 * LiveKit does.
 */
export function useCaptions(limit = 3, localName = ''): CaptionLine[] {
  const streams = useTranscriptions();
  const participants = useParticipants();
  const names = useRef<ReadonlyMap<string, string>>(new Map());
  // LiveKit may not know your own name yet: use the invitation's.
  names.current = rememberNames(
    names.current,
    participants.map((p) => ({ identity: p.identity, name: p.name || (p.isLocal ? localName : '') })),
  );
  return captionLines(streams, names.current, limit);
}
