"""One synth for the whole session: one CDK app holding the dev, prod and local stacks as
`cdk synth -c stage=...` makes them, plus a dev stack whose event table has extra fake rows
(one per source kind) and whose meeting assistant is sized by context values (AGENT_CONTEXT, as
`-c agentMaxCount=5 ...` gives them), and a prod stack with the costlier options (proxy, NAT
gateway: OPTIONS_CONTEXT), all checked by cdk-nag and CloudFormation validation in
that synth."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

STAGES = ("dev", "prod", "local")
FAKE_EVENTS_STACK = "DoctorLive-fake-events"
# Context values (strings, as the CLI passes them) the fake-events stack is synthesized with.
AGENT_CONTEXT = {"agentDesiredCount": "2", "agentMaxCount": "5", "agentCpu": "4096",
                 "agentMemoryMib": "8192", "agentCpuTargetPercent": "50",
                 "agentContainerInsights": "true"}
# The prod stage with the costlier options (-c dbProxy=true -c natProvider=gateway ...): RDS
# Proxy, a NAT gateway, the assistant always on. Synthesized and nag-checked with the others.
OPTIONS_STACK = "DoctorLive-prod-options"
OPTIONS_CONTEXT = {"dbProxy": "true", "natProvider": "gateway", "agentOnDemand": "false", "agentDesiredCount": "1",
                   "apiReservedConcurrency": "0"}


def fake_event_rows():
    from functions.events.wiring import EventRoute

    # Handlers point at an existing module: only the wiring is under test here. Each has a
    # max_concurrency: the connection budget (no RDS Proxy) needs every consumer bounded.
    return (
        EventRoute(name="fake-email", module="migrate", source="sns:notifications",
                   filter_policy={"channel": ["email"]}, batch_size=5, max_concurrency=3),
        EventRoute(name="fake-nightly", module="migrate", source="schedule:cron(0 3 * * ? *)",
                   max_receive_count=2, visibility_timeout_seconds=300, timeout_seconds=240,
                   max_concurrency=2),
        EventRoute(name="fake-archive", module="migrate", source="s3:knowledge", key_prefix="archive/",
                   max_concurrency=2),
    )


@dataclass
class Synth:
    outdir: Path
    stacks: dict[str, Any]           # stage (or "fake-events") -> DoctorLiveStack
    templates: dict[str, dict]       # same keys -> the synthesized template as JSON
    seconds: float

    def assertions(self, key: str):
        from aws_cdk.assertions import Template

        return Template.from_json(self.templates[key])


@pytest.fixture(scope="session")
def synth(tmp_path_factory) -> Synth:
    from aws_cdk import App

    from functions.events.wiring import EVENTS
    from infra.app import cdk_json_context
    from infra.config import stage_config
    from infra.nag import check_with_nag
    from infra.stack import DoctorLiveStack

    began = time.perf_counter()
    outdir = tmp_path_factory.mktemp("cdk.out")
    # Templates do not depend on bundling (asset hashes are computed from the sources), so the
    # synth skips it; tests/infra/test_packaging.py runs the bundlers themselves.
    context = {**cdk_json_context(), "aws:cdk:bundling-stacks": []}
    # CDK's CloudFormation schema validation (~5 s here) catches properties CloudFormation would
    # reject at deploy; CDK_VALIDATION=false skips it. cdk-nag runs either way.
    validate = os.environ.get("CDK_VALIDATION", "true").lower() != "false"
    app = App(context=context, outdir=str(outdir), builtin_cloud_formation_validation=validate)
    stacks = {}
    for stage in STAGES:
        config = stage_config({**context, "stage": stage}.get)
        stacks[stage] = DoctorLiveStack(app, config.stack_name, config=config)
    dev = stage_config({**context, "stage": "dev", **AGENT_CONTEXT}.get)
    stacks["fake-events"] = DoctorLiveStack(app, FAKE_EVENTS_STACK, config=dev,
                                            events=(*EVENTS, *fake_event_rows()))
    options = stage_config({**context, "stage": "prod", **OPTIONS_CONTEXT}.get)
    stacks["prod-options"] = DoctorLiveStack(app, OPTIONS_STACK, config=options)
    check_with_nag(app)
    assembly = app.synth()
    templates = {key: assembly.get_stack_by_name(stack.stack_name).template
                 for key, stack in stacks.items()}
    return Synth(outdir, stacks, templates, time.perf_counter() - began)


@pytest.fixture(scope="session")
def validation_report(synth) -> dict:
    return json.loads((synth.outdir / "validation-report.json").read_text())
