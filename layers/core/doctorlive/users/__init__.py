"""Accounts of an entity: admins and professionals, set-password links, password changes."""
