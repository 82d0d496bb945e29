import {
  DataPacket,
  DataPacket_Kind,
  DataStream_Chunk,
  DataStream_Header,
  DataStream_TextHeader,
  DataStream_Trailer,
  Encryption_Type,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  UserPacket,
} from '@livekit/protocol';
import { LogLevel, Room, setLogLevel } from 'livekit-client';

/**
 * A real livekit-client Room, "connected" with LiveKit's own simulation (no server), fed the
 * packets a LiveKit server would forward: participants joining and leaving, data packets and
 * text streams. The room's private entry points for server input are the only shortcut.
 */
export interface SimulatedRoom {
  room: Room;
  join: (p: { identity: string; name: string; agent?: boolean; attributes?: Record<string, string> }) => void;
  leave: (identity: string) => void;
  /** A reliable data packet from `from` on `topic`. */
  sendData: (from: string, topic: string, payload: unknown) => void;
  /** One text stream (header, one chunk per piece of text, trailer) sent as `sender`. */
  sendTextStream: (sender: string, topic: string, text: string | string[], attributes?: Record<string, string>) => void;
}

type ServerInput = {
  handleParticipantUpdates: (infos: ParticipantInfo[]) => void;
  handleDataPacket: (packet: DataPacket, encryption: Encryption_Type) => void;
};

let sids = 0;

export async function simulatedRoom(): Promise<SimulatedRoom> {
  setLogLevel(LogLevel.warn);
  const room = new Room();
  await room.simulateParticipants({ publish: { audio: false, video: false }, participants: { count: 1, video: false } });
  const server = room as unknown as ServerInput;
  const sidOf = new Map<string, string>();
  const packet = (from: string, value: DataPacket['value']) =>
    server.handleDataPacket(new DataPacket({ participantIdentity: from, kind: DataPacket_Kind.RELIABLE, value }), Encryption_Type.NONE);

  return {
    room,
    join({ identity, name, agent = false, attributes = {} }) {
      const sid = sidOf.get(identity) ?? `PA_${++sids}`;
      sidOf.set(identity, sid);
      server.handleParticipantUpdates([
        new ParticipantInfo({
          sid,
          identity,
          name,
          attributes,
          state: ParticipantInfo_State.ACTIVE,
          kind: agent ? ParticipantInfo_Kind.AGENT : ParticipantInfo_Kind.STANDARD,
        }),
      ]);
    },
    leave(identity) {
      server.handleParticipantUpdates([
        new ParticipantInfo({ sid: sidOf.get(identity), identity, state: ParticipantInfo_State.DISCONNECTED }),
      ]);
    },
    sendData(from, topic, payload) {
      const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
      packet(from, { case: 'user', value: new UserPacket({ payload: bytes, topic }) });
    },
    sendTextStream(sender, topic, text, attributes = {}) {
      const streamId = `TS_${++sids}`;
      packet(sender, {
        case: 'streamHeader',
        value: new DataStream_Header({
          streamId,
          topic,
          timestamp: BigInt(Date.now()),
          mimeType: 'text/plain',
          attributes,
          contentHeader: { case: 'textHeader', value: new DataStream_TextHeader({}) },
        }),
      });
      (Array.isArray(text) ? text : [text]).forEach((piece, index) =>
        packet(sender, {
          case: 'streamChunk',
          value: new DataStream_Chunk({ streamId, chunkIndex: BigInt(index), content: new TextEncoder().encode(piece) }),
        }),
      );
      packet(sender, { case: 'streamTrailer', value: new DataStream_Trailer({ streamId }) });
    },
  };
}
