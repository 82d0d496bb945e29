import { useEffect, useState } from 'react';
import type { ApiClient, RoomJoin } from '../api';
import { useApi } from '../RuntimeProvider';

export type JoinState =
  | { status: 'joining' }
  | { status: 'joined'; join: RoomJoin }
  | { status: 'failed'; error: unknown };

// The join call records attendance on the server, so a remount (React StrictMode, fast
// navigation) must reuse the request in flight rather than send a second one.
const inFlightByClient = new WeakMap<ApiClient, Map<string, Promise<RoomJoin>>>();

function joinOnce(api: ApiClient, roomId: string, joinToken: string): Promise<RoomJoin> {
  let inFlight = inFlightByClient.get(api);
  if (!inFlight) inFlightByClient.set(api, (inFlight = new Map()));
  const key = `${roomId} ${joinToken}`;
  let request = inFlight.get(key);
  if (!request) {
    request = api.joinRoom(roomId, joinToken).then(
      (join) => {
        setTimeout(() => inFlight.delete(key), 1_000);
        return join;
      },
      (error: unknown) => {
        inFlight.delete(key); // a retry after a failure must really retry
        throw error;
      },
    );
    inFlight.set(key, request);
  }
  return request;
}

/** Exchanges the join token for LiveKit credentials. */
export function useJoin(roomId: string | null, joinToken: string | null, attempt = 0): JoinState {
  const api = useApi();
  const [state, setState] = useState<JoinState>({ status: 'joining' });

  useEffect(() => {
    if (!roomId || !joinToken) return;
    let current = true;
    setState({ status: 'joining' });
    joinOnce(api, roomId, joinToken).then(
      (join) => current && setState({ status: 'joined', join }),
      (error: unknown) => current && setState({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [api, roomId, joinToken, attempt]);

  return state;
}
