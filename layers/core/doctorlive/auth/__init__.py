"""Authentication: passwords, RS256 access tokens, rotating refresh tokens."""
