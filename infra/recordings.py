"""Who may write recordings: LiveKit's egress uploads each meeting's file straight to the
recordings bucket, from LiveKit's infrastructure (LiveKit Cloud), outside this account.

The simplest sound way: a dedicated IAM user that may only s3:PutObject under `recordings/` of
that bucket (no read, no list, no delete: a leaked key can add files, never read a meeting),
its access key made by CloudFormation and kept in a Secrets Manager secret
`{"bucket", "region", "access_key_id", "secret_access_key"}` that only the join function reads
(it hands the key to LiveKit in the CreateRoom request's egress, over TLS). The template holds
no key: the secret's value refers to the access key resource. Rotate by bumping `key_serial`,
which replaces the key and rewrites the secret. LiveKit's own assume-role upload needs
LiveKit's AWS account as a trusted principal, which LiveKit Cloud does not publish per project.

The local stage (LocalStack) gets a generated secret with empty fields: no LiveKit there.
"""
from __future__ import annotations

import json

from aws_cdk import Aws, CfnOutput, SecretValue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge

KEY_PREFIX = "recordings/"  # doctorlive.livekit.egress.KEY_PREFIX


class RecordingsUploader(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, bucket: s3.IBucket,
                 key_serial: int = 1):
        super().__init__(scope, id)
        description = f"doctor-live {config.name}: where LiveKit's egress uploads recordings"
        self.user: iam.User | None = None
        if not config.cloud:
            self.secret = secretsmanager.Secret(
                self, "Secret", description=description,
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    secret_string_template=json.dumps({"access_key_id": "", "secret_access_key": ""}),
                    generate_string_key="_filler", exclude_punctuation=True, password_length=8),
                removal_policy=config.removal_policy)
        else:
            self.user = iam.User(self, "User")
            self.user.add_to_principal_policy(iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[bucket.arn_for_objects(f"{KEY_PREFIX}*")]))
            logical_id = bucket.stack.get_logical_id(bucket.node.default_child)
            acknowledge(self.user, f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>/{KEY_PREFIX}*]",
                        reason="Each meeting's recording is a new object under recordings/<entity>/<room>/; "
                               "the user may only put objects there.")
            key = iam.CfnAccessKey(self, "AccessKey", user_name=self.user.user_name, serial=key_serial)
            self.secret = secretsmanager.Secret(
                self, "Secret", description=description,
                secret_object_value={
                    "bucket": SecretValue.unsafe_plain_text(bucket.bucket_name),
                    "region": SecretValue.unsafe_plain_text(Aws.REGION),
                    "access_key_id": SecretValue.unsafe_plain_text(key.ref),
                    "secret_access_key": SecretValue.resource_attribute(key.attr_secret_access_key),
                },
                removal_policy=config.removal_policy)
        acknowledge(self.secret, "AwsSolutions-SMG4",
                    reason="An IAM access key handed to LiveKit; rotated by replacing the key "
                           "(key_serial), which rewrites this secret.")
        CfnOutput(scope, "RecordingsBucketName", value=bucket.bucket_name,
                  description="Bucket of the meetings' recordings")
