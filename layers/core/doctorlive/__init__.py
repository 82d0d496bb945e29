"""doctor-live core: the domain package shared by every Lambda, the dev stack and the agent."""
