"""Invitations with known magic links and passwords, written straight into the database (the way
the scheduling service stores them: SHA-256 of the token, bcrypt of the password), for the
joining tests and the isolation matrix."""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field

from doctorlive.auth.passwords import hash_password
from doctorlive.auth.tokens import hash_token


@dataclass
class Guest:
    participant_id: uuid.UUID
    room_participant_id: uuid.UUID
    name: str
    token: str = field(repr=False)
    password: str = field(repr=False)


@dataclass
class Invitation:
    room_id: uuid.UUID
    entity_id: uuid.UUID
    title: str
    guests: list[Guest]

    @property
    def guest(self) -> Guest:
        return self.guests[0]


def make_invitation(conn, *, guests: int = 1, max_participants: int = 10, status: str = "SCHEDULED",
                    starts_in: str = "1 hour", link_valid_for: str = "2 days",
                    entity: str = "Clínica Cardio Saúde", organizer: str = "admin@clinica.local",
                    entity_id: uuid.UUID | None = None, title: str | None = None) -> Invitation:
    """A room of `entity` organised by `organizer` with `guests` invited participants, each with a
    fresh magic-link token and 8-digit password (returned in clear)."""
    if entity_id is None:
        entity_id = conn.execute("SELECT id FROM entities WHERE name = %s", (entity,)).fetchone()["id"]
    organizer_id = conn.execute("SELECT id FROM users WHERE email = %s", (organizer,)).fetchone()["id"]
    title = title or f"Consulta {uuid.uuid4().hex[:6]}"
    room_id = conn.execute(
        """INSERT INTO rooms (entity_id, organizer_id, title, description, scheduled_start, scheduled_end,
                              max_participants, status, custom_instructions)
           VALUES (%s, %s, %s, 'Trazer exames', now() + %s::interval, now() + %s::interval + interval '1 hour',
                   %s, %s, 'secret instructions for the agent')
           RETURNING id""",
        (entity_id, organizer_id, title, starts_in, starts_in, max_participants, status)).fetchone()["id"]
    conn.execute("UPDATE rooms SET livekit_room_name = %s WHERE id = %s", (f"room_{room_id}", room_id))
    people = []
    for i in range(guests):
        token, password = secrets.token_urlsafe(32), f"{secrets.randbelow(10 ** 8):08d}"
        name = f"Convidado {i + 1}"
        pid = conn.execute(
            "INSERT INTO participants (name, email, phone) VALUES (%s, %s, '+5511987650000') RETURNING id",
            (name, f"guest{i}.{uuid.uuid4().hex[:8]}@example.org")).fetchone()["id"]
        conn.execute("UPDATE participants SET livekit_identity = %s WHERE id = %s", (f"participant_{pid}", pid))
        rp = conn.execute(
            """INSERT INTO room_participants (room_id, participant_id, magic_token_hash, password_hash,
                                              token_expires_at)
               VALUES (%s, %s, %s, %s, now() + %s::interval) RETURNING id""",
            (room_id, pid, hash_token(token), hash_password(password), link_valid_for)).fetchone()["id"]
        people.append(Guest(pid, rp, name, token, password))
    return Invitation(room_id, entity_id, title, people)


def wrong_password(right: str) -> str:
    return f"{(int(right) + 1) % 10 ** 8:08d}"
