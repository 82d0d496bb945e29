"""Sealing the secret part of a queued notification.

The plain magic link and 8-digit password must reach the notifier, and only the notifier: the
SNS topic and SQS queues (and their dead-letter queues, kept for 14 days) hold them only
AES-256-GCM encrypted. The key is derived (HKDF-SHA256) from key material in settings: a
Secrets Manager secret read by the API and notifier functions only in the cloud, a generated
file under .data/ locally. The notification id is the associated data, so a sealed secret
cannot be moved into another message.

Format: "v1." + base64url(nonce[12] || ciphertext+tag).
"""
from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache
from pathlib import Path
from uuid import UUID

from doctorlive.notifications.models import Secret
from doctorlive.settings import REPO_ROOT, get_settings
from doctorlive.stages import is_cloud

_VERSION = "v1."
_INFO = b"doctor-live notifications v1"
DEV_KEY_FILE = REPO_ROOT / ".data" / "notification-dev.key"


class SealError(Exception):
    """The sealed secret cannot be opened (wrong key, tampered, another message's)."""


def _dev_key_material(path: Path = DEV_KEY_FILE) -> str:
    """Generated once per checkout; every local process (gateway, pump, tests) shares it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _key_material() -> str:
    s = get_settings()
    material = s.notification_key.get_secret_value()
    if not material and s.notification_key_file is not None:
        material = s.notification_key_file.read_text().strip()
    if not material and not is_cloud(s.stage):  # a dev convenience: never in the cloud
        material = _dev_key_material()
    if len(material) < 32:
        raise RuntimeError("No notification key: set NOTIFICATION_KEY (>= 32 characters), "
                           "NOTIFICATION_KEY_FILE or NOTIFICATIONS_SECRET_ARN")
    return material


@lru_cache(maxsize=4)
def _aead(material: str):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material.encode())
    return AESGCM(key)


def seal(secret: Secret, notification_id: UUID) -> str:
    return seal_text(secret.model_dump_json(), str(notification_id))


def unseal(sealed: str, notification_id: UUID) -> Secret:
    return Secret.model_validate_json(unseal_text(sealed, str(notification_id)))


def seal_text(text: str, associated_data: str) -> str:
    """Seal any text bound to `associated_data` (a notification id; an idempotency record's id
    for the stored answers of creating requests, which may hold a set-password link)."""
    nonce = os.urandom(12)
    data = _aead(_key_material()).encrypt(nonce, text.encode(), associated_data.encode())
    return _VERSION + base64.urlsafe_b64encode(nonce + data).decode("ascii").rstrip("=")


def unseal_text(sealed: str, associated_data: str) -> str:
    from cryptography.exceptions import InvalidTag

    if not sealed.startswith(_VERSION):
        raise SealError("unknown sealed format")
    raw = sealed[len(_VERSION):]
    try:
        blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        plain = _aead(_key_material()).decrypt(blob[:12], blob[12:], associated_data.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealError("the sealed secret does not open with this key and id") from exc
    return plain.decode()
