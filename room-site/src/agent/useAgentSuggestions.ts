import { useCallback, useEffect, useState } from 'react';
import { useDataChannel, useMaybeRoomContext } from '@livekit/components-react';
import { addSuggestion, AGENT_SUGGESTIONS_TOPIC, decodeSuggestion, type Suggestion } from './suggestions';

const encoder = new TextEncoder();

/**
 * Suggestions the AI assistant has published in this meeting, newest first. The agent may
 * send them as data packets (publish_data) or as a text stream (send_text) on the topic;
 * both arrive here.
 */
export function useAgentSuggestions(): Suggestion[] {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const onMessage = useCallback((message: { payload: Uint8Array }) => {
    const suggestion = decodeSuggestion(message.payload);
    if (suggestion) setSuggestions((list) => addSuggestion(list, suggestion));
  }, []);
  useDataChannel(AGENT_SUGGESTIONS_TOPIC, onMessage);

  const room = useMaybeRoomContext();
  useEffect(() => {
    if (!room) return;
    try {
      room.registerTextStreamHandler(AGENT_SUGGESTIONS_TOPIC, async (reader) => {
        onMessage({ payload: encoder.encode(await reader.readAll()) });
      });
    } catch {
      return; // another part of the page already listens on this topic
    }
    return () => room.unregisterTextStreamHandler(AGENT_SUGGESTIONS_TOPIC);
  }, [room, onMessage]);

  return suggestions;
}
