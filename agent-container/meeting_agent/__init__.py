"""doctor-live's meeting assistant: a livekit-agents worker dispatched by name into each meeting
whose entity and meeting have the assistant on. It hears every human participant (one VAD +
speech-to-text stream each), stores and publishes their words as captions, searches the
entity's knowledge base and posts suggestions, tips and answers; at the end it writes the
meeting's summary and its usage ledger. The rules live in `doctorlive.assistant`."""
