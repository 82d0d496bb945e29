"""The CDK app (cdk.json: `.venv/bin/python -m infra.app`): one stack for the stage named by
`-c stage=dev|prod|local` (default dev), checked by cdk-nag's AwsSolutions pack on every synth.

Synthesizes without Docker and without AWS credentials: the stacks are environment-agnostic
and the code assets are bundled locally (infra/packaging.py).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import App

from infra.config import StageConfig, stage_config
from infra.nag import check_with_nag
from infra.stack import DoctorLiveStack

REPO = Path(__file__).resolve().parents[1]


def cdk_json_context() -> dict[str, Any]:
    """cdk.json's context (feature flags, defaults): what the CLI passes, for tests to reuse."""
    return json.loads((REPO / "cdk.json").read_text()).get("context", {})


def config_from(app: App) -> StageConfig:
    return stage_config(app.node.try_get_context)


def main() -> None:
    app = App()
    config = config_from(app)
    DoctorLiveStack(app, config.stack_name, config=config)
    check_with_nag(app)
    app.synth()


if __name__ == "__main__":
    main()
