"""Entities (organisations), departments and professionals."""
