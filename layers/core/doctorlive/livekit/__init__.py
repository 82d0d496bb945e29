"""LiveKit: the one wrapper over `livekit-api` (RoomService), webhook verification and the
naming of rooms and participant identities."""
