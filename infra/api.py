"""The REST API: one Lambda and one method per row of functions/api/routes.py, nothing listed
twice. Authentication happens in the functions (bearer JWT, see doctorlive.web)."""
from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from functions.api.routes import Route
from infra import alarms
from infra.config import StageConfig
from infra.functions import (
    METRICS_NAMESPACE,
    SERVICE_NAME,
    FunctionFactory,
    needs_of,
)
from infra.nag import acknowledge
from infra.resources import construct_id

# The login function's metric of wrong credentials (doctorlive.observability.FAILED_LOGINS).
FAILED_LOGINS_METRIC = "FailedLogins"


class RouteApi(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, routes: Sequence[Route],
                 functions: FunctionFactory, alarm_action: cloudwatch.IAlarmAction | None,
                 cors_origins: Sequence[str] | None = None):
        """cors_origins: what preflights allow (default: config.cors_origins)."""
        super().__init__(scope, id)
        cors_origins = list(config.cors_origins if cors_origins is None else cors_origins)
        access_logs = logs.LogGroup(self, "AccessLogs", retention=config.log_retention,
                                    removal_policy=config.removal_policy)
        self.api = apigw.RestApi(
            self, "Api",
            rest_api_name=f"doctor-live-{config.name}",
            description="doctor-live API: one Lambda per route of functions/api/routes.py",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Execution logs need the account-level CloudWatch role; LocalStack has no use for it.
            cloud_watch_role=config.cloud,
            deploy_options=apigw.StageOptions(
                stage_name=config.name,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False, http_method=True, ip=True, protocol=True, request_time=True,
                    resource_path=True, response_length=True, status=True, user=False),
                throttling_rate_limit=config.throttle_rate,
                throttling_burst_limit=config.throttle_burst,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR if config.cloud else None,
                data_trace_enabled=False,  # request bodies hold passwords and tokens
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=cors_origins,
                allow_headers=["Content-Type", "Authorization", "Idempotency-Key"],
                allow_methods=apigw.Cors.ALL_METHODS,
                max_age=Duration.hours(1),
            ),
        )

        self.functions: dict[str, lambda_.Function] = {}
        for route in routes:
            fn = functions.function(
                self, f"{construct_id(route.module)}Function",
                module=f"functions.api.{route.module}",
                handler=route.handler,
                description=f"{route.method} {route.path}: {route.summary}"[:256],
                needs=needs_of(route),
                share_role=True,
                serves_http=True,
            )
            self.api.root.resource_for_path(route.path).add_method(
                route.method,
                apigw.LambdaIntegration(fn, allow_test_invoke=False),
                authorization_type=apigw.AuthorizationType.NONE,
                operation_name=route.module,
            )
            self.functions[route.module] = fn

        alarms.at_least(
            self, "ServerErrorsAlarm",
            description=f"doctor-live {config.name}: the API answered 5xx",
            metric=self.api.metric_server_error(period=Duration.minutes(5), statistic="Sum"),
            threshold=config.api_5xx_alarm_threshold, action=alarm_action)
        # EMF metrics land under the namespace with the `service` dimension Powertools adds.
        alarms.at_least(
            self, "FailedLoginsAlarm",
            description=f"doctor-live {config.name}: a burst of failed logins (password "
                        "guessing or credential stuffing?)",
            metric=cloudwatch.Metric(namespace=METRICS_NAMESPACE, metric_name=FAILED_LOGINS_METRIC,
                                     dimensions_map={"service": SERVICE_NAME},
                                     period=Duration.minutes(5), statistic="Sum"),
            threshold=config.failed_login_alarm_threshold, action=alarm_action)

        CfnOutput(scope, "ApiId", value=self.api.rest_api_id)
        CfnOutput(scope, "ApiStage", value=config.name)
        CfnOutput(scope, "ApiUrl", value=self.api.url)

        acknowledge(
            self.api, "AwsSolutions-APIG4",
            reason="Authorization is in the functions: non-public routes verify an RS256 bearer "
                   "JWT (doctorlive.web CurrentUser); public routes (login, health) are public by design.")
        acknowledge(
            self.api, "AwsSolutions-COG4",
            reason="Users live in doctor-live's own database (roles per entity); tokens are issued "
                   "and verified by the auth functions, not by Cognito.")
        acknowledge(
            self.api, "AwsSolutions-APIG3",
            reason="No WAF yet (from ~$6/month): stage throttling and per-account/IP login rate "
                   "limiting in the auth service cover abuse for now; revisit before public launch.")
        acknowledge(
            self.api, "AwsSolutions-APIG2",
            reason="Requests are validated by each function's pydantic models, which are also the "
                   "published OpenAPI contract; a gateway validator without models checks nothing.")
        if config.cloud:
            acknowledge(
                self.api,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="The account-level role API Gateway needs for execution logs; AWS's policy "
                       "is the documented one and grants logs actions only.")
        else:
            acknowledge(
                self.api, "AwsSolutions-APIG6",
                reason="Local stage (LocalStack): no account CloudWatch role for execution logs; "
                       "access logs are still on.")
