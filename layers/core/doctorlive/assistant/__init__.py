"""The meeting assistant's domain: what it hears, when it looks things up, what it says, what it
costs. No LiveKit here: the worker in agent-container/ feeds it and publishes what it returns."""
