"""The one stage vocabulary, read by the code (settings, seed, sealing, web), the CDK app and the
dev stack alike.

- `local`: this machine: the dev stack (`make dev`), the tests, the benchmarks, and the CDK app's
  LocalStack deployment (`make e2e`). Dev conveniences are allowed: seeded users, generated keys,
  any CORS origin.
- `dev`, `prod`: deployed to AWS by the CDK app. No dev convenience runs there: each refuses with
  :class:`CloudStageRefusal` instead of quietly doing what it would do on a laptop.

Stdlib only: infra/ and devstack/ import it without the layer's dependencies.
"""
from __future__ import annotations

from typing import Literal, get_args

Stage = Literal["local", "dev", "prod"]
STAGES: tuple[Stage, ...] = get_args(Stage)
CLOUD_STAGES: frozenset[Stage] = frozenset({"dev", "prod"})


class CloudStageRefusal(RuntimeError):
    """A dev convenience was asked for in a cloud stage."""


def is_cloud(stage: Stage) -> bool:
    """True for the stages deployed to AWS; an unknown name is an error, never 'not cloud'."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
    return stage in CLOUD_STAGES


def refuse_in_cloud(stage: Stage, convenience: str) -> None:
    """Raise unless `stage` is local: `convenience` says what would have run, and what to set."""
    if is_cloud(stage):
        raise CloudStageRefusal(f"refusing {convenience} in the cloud stage {stage!r}")
