import { useCallback, useState } from 'react';
import { useDataChannel } from '@livekit/components-react';
import { addSuggestion, AGENT_SUGGESTIONS_TOPIC, decodeSuggestion, type Suggestion } from './suggestions';

/** Suggestions the AI assistant has published in this meeting, newest first. */
export function useAgentSuggestions(): Suggestion[] {
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const onMessage = useCallback((message: { payload: Uint8Array }) => {
    const suggestion = decodeSuggestion(message.payload);
    if (suggestion) setSuggestions((list) => addSuggestion(list, suggestion));
  }, []);
  useDataChannel(AGENT_SUGGESTIONS_TOPIC, onMessage);
  return suggestions;
}
