"""Joining a meeting: the public preview of an invitation, the magic link + password check (with
its brute-force limits), the short-lived join token, and admission into the LiveKit room."""
