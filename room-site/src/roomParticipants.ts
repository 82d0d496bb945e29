import { isAgentParticipant, type ParticipantLike } from './agent/participants';

/** What the participant list shows about one person (or the AI assistant). */
export interface ParticipantSummary {
  identity: string;
  name: string;
  isLocal: boolean;
  isAgent: boolean;
  microphoneOn: boolean;
  speaking: boolean;
  connectionQuality: 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';
}

export interface RoomParticipantLike extends ParticipantLike {
  identity: string;
  name?: string;
  isLocal: boolean;
  isMicrophoneEnabled: boolean;
  isSpeaking: boolean;
  connectionQuality: string;
}

const QUALITIES = ['excellent', 'good', 'poor', 'lost'] as const;

/** `localName` names you before LiveKit has (the name from the invitation). */
export function summarizeParticipant(participant: RoomParticipantLike, localName = ''): ParticipantSummary {
  const quality = (QUALITIES as readonly string[]).includes(participant.connectionQuality)
    ? (participant.connectionQuality as ParticipantSummary['connectionQuality'])
    : 'unknown';
  return {
    identity: participant.identity,
    name: participant.name || (participant.isLocal ? localName : '') || participant.identity,
    isLocal: participant.isLocal,
    isAgent: isAgentParticipant(participant),
    microphoneOn: participant.isMicrophoneEnabled,
    speaking: participant.isSpeaking,
    connectionQuality: quality,
  };
}

/** You first, then the AI assistant, then everyone else by name. */
export function orderParticipants(list: ParticipantSummary[], locale?: string): ParticipantSummary[] {
  const rank = (p: ParticipantSummary) => (p.isLocal ? 0 : p.isAgent ? 1 : 2);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, locale));
}
