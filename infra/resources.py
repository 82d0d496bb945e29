"""The buckets and topics of functions/events/wiring.py (BUCKETS, TOPICS), one each per key.

Functions reach them through the environment variable the wiring module names
(`bucket_env(key)` = KNOWLEDGE_BUCKET, `topic_env(key)` = NOTIFICATIONS_TOPIC_ARN), set only on
the functions that need them (see infra/functions.py).
"""
from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge


def construct_id(key: str) -> str:
    """auth_login / kb-ingest -> AuthLogin / KbIngest: stable logical ids from table keys."""
    parts = key.replace("-", "_").split("_")
    return "".join(part[:1].upper() + part[1:] for part in parts)


def bucket_name(config: StageConfig, key: str) -> str:
    """Known before the bucket exists, so a queue policy (or the admin site's CSP) can name it
    without a dependency cycle (the bucket's notification configuration depends on that policy)."""
    return f"doctorlive-{config.name}-{key}-{Aws.ACCOUNT_ID}-{Aws.REGION}"


def logs_bucket(scope: Construct, config: StageConfig) -> s3.Bucket:
    """The one bucket receiving the stack's S3 server access logs and CloudFront's standard logs."""
    bucket = s3.Bucket(
        scope, "LogsBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        # CloudFront's standard logs are delivered with an ACL grant: ACLs must be enabled.
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
        removal_policy=config.removal_policy,
    )
    acknowledge(bucket, "AwsSolutions-S1",
                reason="This bucket receives the other buckets' and CloudFront's access logs; "
                       "logging it to itself would loop.")
    return bucket


class SharedResources(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig,
                 bucket_keys: Sequence[str], topic_keys: Sequence[str],
                 access_logs: s3.IBucket | None = None,
                 cors_origins: Sequence[str] | None = None):
        """access_logs: where the buckets' server access logs go (required with buckets);
        cors_origins: who may upload from a browser (default: config.cors_origins)."""
        super().__init__(scope, id)
        self.config = config
        cors_origins = list(config.cors_origins if cors_origins is None else cors_origins)
        removal = config.removal_policy
        self.buckets: dict[str, s3.Bucket] = {}
        self.topics: dict[str, sns.Topic] = {}
        if bucket_keys and access_logs is None:
            raise ValueError("buckets need an access-log bucket")

        for key in bucket_keys:
            self.buckets[key] = s3.Bucket(
                self, f"{construct_id(key)}Bucket",
                bucket_name=self.bucket_name(key),
                encryption=s3.BucketEncryption.S3_MANAGED,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                server_access_logs_bucket=access_logs,
                server_access_logs_prefix=f"{key}/",
                # Browsers upload with presigned POSTs from the admin site.
                cors=[s3.CorsRule(allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.PUT,
                                                   s3.HttpMethods.GET],
                                  allowed_origins=cors_origins, allowed_headers=["*"],
                                  max_age=3000)],
                # Recordings: a backstop behind the retention job (the longest retention is 365
                # days), so a job failing unnoticed for a year still leaves no recording forever.
                lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(400))]
                if key == "recordings" else None,
                removal_policy=removal,
            )
        for key in topic_keys:
            self.topics[key] = sns.Topic(
                self, f"{construct_id(key)}Topic",
                display_name=f"doctor-live {config.name} {key}",
                enforce_ssl=True,
                master_key=kms.Alias.from_alias_name(self, f"{construct_id(key)}TopicKey", "alias/aws/sns"),
            )

    def bucket_name(self, key: str) -> str:
        return bucket_name(self.config, key)

    def bucket_arn(self, key: str) -> str:
        return f"arn:{Aws.PARTITION}:s3:::{self.bucket_name(key)}"
