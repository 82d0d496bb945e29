"""Deploy-time job (a CDK trigger runs it on every deploy): apply migrations, and create the
JWT signing key in its secret the first time, so no private key ever passes through a person."""
from __future__ import annotations

import json
import os

from doctorlive import needs
from doctorlive.migrate import migrate
from doctorlive.observability import instrument, logger
from doctorlive.settings import get_settings
from functions.events.wiring import MIGRATE_NEEDS

needs.check(__name__, MIGRATE_NEEDS)  # cold start: fail now, naming what is missing


def ensure_jwt_key(secret_arn: str) -> bool:
    import boto3

    from doctorlive.auth.tokens import generate_private_key_pem

    client = boto3.client("secretsmanager")
    raw = client.get_secret_value(SecretId=secret_arn).get("SecretString") or "{}"
    try:
        current = json.loads(raw)
    except json.JSONDecodeError:
        current = {"private_key": raw}
    if isinstance(current, dict) and (current.get("private_key") or "").strip():
        return False
    client.put_secret_value(SecretId=secret_arn,
                            SecretString=json.dumps({"private_key": generate_private_key_pem()}))
    return True


@instrument
def handler(event: dict, context) -> dict:
    settings = get_settings()
    applied = migrate(settings.database_url)
    created = ensure_jwt_key(os.environ["JWT_SECRET_ARN"]) if os.environ.get("JWT_SECRET_ARN") else False
    logger.info("deploy job done", extra={"migrations_applied": applied, "jwt_key_created": created})
    return {"migrations_applied": applied, "jwt_key_created": created}
