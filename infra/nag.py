"""cdk-nag (AwsSolutions pack) on every synth, and the one way to acknowledge a finding here:
on the construct it concerns, with the reason next to it."""
from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def check_with_nag(app: App) -> None:
    """Findings fail the synth and land in the cloud assembly's policy-validation-report.json."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one finding (e.g. "AwsSolutions-IAM5[Resource::*]") on `scope` and below.

    Recorded under the plugin's prefix ("AwsSolutions::<rule>", as the synth error suggests);
    without it CDK files the rule under "Annotation::".
    """
    Validations.of(scope).acknowledge(Acknowledgment(id=f"AwsSolutions::{rule}", reason=reason))
