"""What a function's `needs` (its row in functions/api/routes.py or functions/events/wiring.py)
promise it, checked once at its cold start, so a function deployed without a secret or a bucket
fails at once with a message naming what is missing, instead of at the first request that
touches it (or, worse, quietly on a local default such as the dev database URL).

The promise is infra/functions.py's: each secret need becomes `<KEY>_SECRET_ARN`, each bucket
need `<KEY>_BUCKET`, each topic need `<KEY>_TOPIC_ARN`, "email:send" `EMAIL_BACKEND` (cloud), "assistant:scale"
`ASSISTANT_SCALABLE_TARGET` (cloud).
It is kept where the CDK app deploys the function: a cloud stage, or any Lambda runtime (the
local stage on LocalStack). The dev stack and the tests run handlers in-process on local
defaults (the dev database, the generated keys, no topic), which the check leaves alone.

Stdlib only: it runs before anything else is imported.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from doctorlive.stages import Stage, is_cloud

SECRET_KEYS = ("db", "jwt", "livekit", "openai", "whatsapp", "notifications", "recordings")


class MissingConfiguration(RuntimeError):
    """A deployed function lacks what its row's needs promise."""


def promised(need: str, *, cloud: bool) -> tuple[str, ...]:
    """The environment variables the CDK app sets for one need."""
    if need in SECRET_KEYS:
        return (f"{need.upper()}_SECRET_ARN",)
    kind, _, rest = need.partition(":")
    key = rest.split(":", 1)[0]
    if kind == "bucket" and key:
        return (f"{key.upper()}_BUCKET",)
    if kind == "topic" and key:
        return (f"{key.upper()}_TOPIC_ARN",)
    if need == "email:send":
        return ("EMAIL_BACKEND",) if cloud else ()
    if need == "assistant:scale":
        return ("ASSISTANT_SCALABLE_TARGET",) if cloud else ()
    raise ValueError(f"unknown need {need!r}")


def missing(needs: Iterable[str], env: Mapping[str, object], *, cloud: bool) -> list[str]:
    """`need: VARIABLE` for each promised variable that is absent or empty in `env`."""
    return [f"{need}: {var}" for need in needs for var in promised(need, cloud=cloud) if not env.get(var)]


def deployed(stage: Stage, env: Mapping[str, str] = os.environ) -> bool:
    """Running as the CDK app deployed it (so its promise holds), not in the dev stack."""
    return is_cloud(stage) or bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))


def check(function: str, needs: Iterable[str], env: Mapping[str, str] = os.environ) -> None:
    """Raise MissingConfiguration when a deployed `function` lacks what `needs` promise."""
    stage = env.get("STAGE") or "local"
    if not deployed(stage, env):  # type: ignore[arg-type] - is_cloud refuses an unknown stage
        return
    absent = missing(needs, env, cloud=is_cloud(stage))  # type: ignore[arg-type]
    if absent:
        raise MissingConfiguration(
            f"{function} was deployed without what its needs promise ({'; '.join(absent)}): "
            "infra/functions.py sets these from the row's `needs`; redeploy, or fix the row")
