"""The stack's alarms on "something reached a threshold": one shape, so each says only what it
watches (missing data is not breaching — no traffic, no alarm), and each notifies the alarm topic."""
from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct


def at_least(scope: Construct, id: str, *, description: str, metric: cloudwatch.IMetric,
             threshold: float = 1, periods: int = 1,
             action: cloudwatch.IAlarmAction | None = None) -> cloudwatch.Alarm:
    """An alarm when `metric` is >= `threshold` for `periods` periods in a row."""
    alarm = cloudwatch.Alarm(
        scope, id, alarm_description=description, metric=metric, threshold=threshold,
        evaluation_periods=periods,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING)
    if action is not None:
        alarm.add_alarm_action(action)
    return alarm
