"""What an operator watches: alarms on the platform's own (EMF) metrics, and one CloudWatch
dashboard with the API's latency and errors, the dead-letter queues and those metrics.

The metrics are written by doctorlive.observability (namespace DoctorLive, dimension `service`:
doctor-live for the functions, doctor-live-agent for the meeting assistant); the names here are
theirs (tests/infra checks they match). Alarms already made elsewhere: 5xx and failed logins
(infra/api.py), each dead-letter queue and each scheduled job's failures — the retention purge
and the notification republish raise, so the function's Errors metric counts them —
(infra/events.py), the assistant's tasks and CPU (infra/agent.py).
"""
from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra import alarms
from infra.agent import SERVICE_NAME as AGENT_SERVICE_NAME
from infra.agent import AgentService
from infra.api import RouteApi
from infra.config import StageConfig
from infra.events import EventWiring
from infra.functions import METRICS_NAMESPACE, SERVICE_NAME

# doctorlive.observability's metric names.
FAILED_LOGINS = "FailedLogins"
REFUSED_LOGINS = "RefusedLogins"
REFRESH_TOKEN_REUSE = "RefreshTokenReuse"
MAGIC_LINK_LOCKS = "MagicLinkLocks"
NOTIFICATIONS_SENT = "NotificationsSent"
NOTIFICATIONS_FAILED = "NotificationsFailed"
NOTIFICATIONS_UNPUBLISHABLE = "NotificationsUnpublishable"
NOTIFICATIONS_REPUBLISHED = "NotificationsRepublished"
KNOWLEDGE_CHUNKS_INGESTED = "KnowledgeChunksIngested"
PURGED_RECORDINGS = "PurgedRecordings"
AGENT_ERRORS = "AgentErrors"


def emf_metric(name: str, *, service: str = SERVICE_NAME, period: Duration | None = None,
               statistic: str = "Sum") -> cloudwatch.Metric:
    """One of the platform's EMF metrics, as Powertools writes it (default: 5-minute sums)."""
    return cloudwatch.Metric(namespace=METRICS_NAMESPACE, metric_name=name,
                             dimensions_map={"service": service}, period=period or Duration.minutes(5),
                             statistic=statistic)


class Operations(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, api: RouteApi,
                 events: EventWiring, agent: AgentService | None,
                 alarm_action: cloudwatch.IAlarmAction | None):
        super().__init__(scope, id)
        name = config.name
        self.alarms: dict[str, cloudwatch.Alarm] = {
            REFRESH_TOKEN_REUSE: alarms.at_least(
                self, "RefreshTokenReuseAlarm",
                description=f"doctor-live {name}: spent refresh tokens presented again (each revoked "
                            "a session): stolen tokens, or a client keeping old ones",
                metric=emf_metric(REFRESH_TOKEN_REUSE), threshold=config.refresh_reuse_alarm_threshold,
                action=alarm_action),
            MAGIC_LINK_LOCKS: alarms.at_least(
                self, "MagicLinkLocksAlarm",
                description=f"doctor-live {name}: invitation links locked by wrong passwords "
                            "(someone guessing meeting passwords?)",
                metric=emf_metric(MAGIC_LINK_LOCKS), threshold=config.magic_link_lock_alarm_threshold,
                action=alarm_action),
            NOTIFICATIONS_UNPUBLISHABLE: alarms.at_least(
                self, "NotificationsUnpublishableAlarm",
                description=f"doctor-live {name}: the republish job gave up on notifications (marked "
                            "failed: their recipients get nothing until resent)",
                metric=emf_metric(NOTIFICATIONS_UNPUBLISHABLE, period=Duration.hours(1)),
                action=alarm_action),
        }
        if agent is not None:
            self.alarms[AGENT_ERRORS] = alarms.at_least(
                self, "AgentErrorsAlarm",
                description=f"doctor-live {name}: the meeting assistant logged errors (summaries, "
                            "notes, tips or recording its events failing)",
                metric=emf_metric(AGENT_ERRORS, service=AGENT_SERVICE_NAME), threshold=5,
                action=alarm_action)

        # LocalStack (free edition) has no CloudWatch dashboards: cloud stages only, where the
        # stage has one (config.dashboard).
        self.dashboard: cloudwatch.Dashboard | None = None
        if config.cloud and config.dashboard:
            self.dashboard = self._dashboard(config, api, events)

    def _dashboard(self, config: StageConfig, api: RouteApi, events: EventWiring) -> cloudwatch.Dashboard:
        five = Duration.minutes(5)
        rest = api.api
        dlqs = [c.dead_letter_queue.metric_approximate_number_of_messages_visible(
                    period=five, statistic="Maximum", label=row)
                for row, c in events.consumers.items()]
        # Every alarm of the stack, wherever it was made (this construct is made last).
        every_alarm = [c for c in Stack.of(self).node.find_all() if isinstance(c, cloudwatch.Alarm)]
        dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=f"doctor-live-{config.name}",
            default_interval=Duration.hours(6))
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="API latency (ms)", width=12, left=[
                rest.metric_latency(period=five, statistic="p50", label="p50"),
                rest.metric_latency(period=five, statistic="p99", label="p99")]),
            cloudwatch.GraphWidget(title="API errors", width=12, left=[
                rest.metric_server_error(period=five, statistic="Sum", label="5xx"),
                rest.metric_client_error(period=five, statistic="Sum", label="4xx")],
                right=[rest.metric_count(period=five, statistic="Sum", label="requests")]),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Dead-letter queues (messages)", width=12, left=dlqs),
            cloudwatch.GraphWidget(title="Sign-in", width=12, left=[
                emf_metric(m, period=five) for m in (FAILED_LOGINS, REFUSED_LOGINS, REFRESH_TOKEN_REUSE,
                                                     MAGIC_LINK_LOCKS)]),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Notifications", width=8, left=[
                emf_metric(m, period=five) for m in (NOTIFICATIONS_SENT, NOTIFICATIONS_FAILED,
                                                     NOTIFICATIONS_REPUBLISHED, NOTIFICATIONS_UNPUBLISHABLE)]),
            cloudwatch.GraphWidget(title="Knowledge base and retention", width=8, left=[
                emf_metric(KNOWLEDGE_CHUNKS_INGESTED, period=five),
                emf_metric(PURGED_RECORDINGS, period=Duration.hours(1))]),
            cloudwatch.GraphWidget(title="Meeting assistant", width=8, left=[
                emf_metric(AGENT_ERRORS, service=AGENT_SERVICE_NAME, period=five)]),
        )
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="Alarms", width=24, alarms=every_alarm))
        return dashboard
