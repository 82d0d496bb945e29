/**
 * How the AI assistant says it is working, from its LiveKit participant attributes:
 * `doctorlive.mode` = "generative" | "extractive", `doctorlive.stt` = "<provider>:<model>"
 * (e.g. "offline:whisper-base", "openai:gpt-4o-mini-transcribe"), and
 * `doctorlive.stt_languages` = what the speech model understands, as free text.
 */
export interface AgentStatus {
  /** Suggestions quote the knowledge base without a language model. */
  extractive: boolean;
  /** Speech is transcribed by a model running with the agent, not a cloud service. */
  offlineSpeech: boolean;
  /** The speech model's name (the part after "offline:"), when offline. */
  speechModel: string | null;
  /** The languages the speech model handles, as the agent words them. */
  speechLanguages: string | null;
}

export function agentStatusOf(attributes: Readonly<Record<string, string>> | undefined): AgentStatus {
  const mode = attributes?.['doctorlive.mode']?.trim().toLowerCase();
  const stt = attributes?.['doctorlive.stt']?.trim() ?? '';
  const [provider, ...model] = stt.split(':');
  const offlineSpeech = provider.toLowerCase() === 'offline';
  return {
    extractive: mode === 'extractive',
    offlineSpeech,
    speechModel: offlineSpeech ? model.join(':').trim() || null : null,
    speechLanguages: attributes?.['doctorlive.stt_languages']?.trim() || null,
  };
}
