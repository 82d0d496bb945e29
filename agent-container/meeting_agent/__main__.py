"""`python -m meeting_agent start|dev|...` — livekit-agents' CLI over the assistant's worker."""
from livekit.agents import cli

from meeting_agent.worker import configure_from_settings, server

if __name__ == "__main__":
    configure_from_settings(server)
    cli.run_app(server)
