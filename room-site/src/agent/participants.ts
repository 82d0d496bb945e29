/**
 * Whether a room participant is the AI assistant: LiveKit marks agent workers with the
 * AGENT kind; the backend also writes `{"type":"AGENT"}` into the participant metadata.
 */
export interface ParticipantLike {
  isAgent?: boolean;
  kind?: unknown;
  metadata?: string;
}

export function isAgentParticipant(participant: ParticipantLike): boolean {
  if (participant.isAgent) return true;
  if (typeof participant.kind === 'string' && participant.kind.toLowerCase() === 'agent') return true;
  if (!participant.metadata) return false;
  try {
    const metadata = JSON.parse(participant.metadata) as unknown;
    return (
      !!metadata &&
      typeof metadata === 'object' &&
      String((metadata as Record<string, unknown>).type).toUpperCase() === 'AGENT'
    );
  } catch {
    return false;
  }
}
