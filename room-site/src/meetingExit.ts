import { DisconnectReason } from 'livekit-client';

/** Why the participant is no longer in the meeting, as the "left" page explains it. */
export type LeftReason = 'left' | 'ended' | 'duplicate' | 'disconnected';

export function leftReasonOf(reason: DisconnectReason | undefined): LeftReason {
  switch (reason) {
    case DisconnectReason.CLIENT_INITIATED:
      return 'left';
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.ROOM_CLOSED:
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'ended';
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'duplicate';
    default:
      return 'disconnected';
  }
}

/** The four states the UI (and browser tests, via data-testid="connection-state") distinguish. */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export function connectionPhaseOf(state: string): ConnectionPhase {
  switch (state) {
    case 'connecting':
    case 'connected':
    case 'disconnected':
      return state;
    case 'reconnecting':
    case 'signalReconnecting':
      return 'reconnecting';
    default:
      return 'disconnected';
  }
}
