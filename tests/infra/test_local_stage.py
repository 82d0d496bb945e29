"""`-c stage=local`: what LocalStack's free edition can run, pointed at the embedded Postgres."""
from __future__ import annotations

import json

from devstack import ports
from tests.infra.cfn import refs_in, resources

ABSENT_LOCALLY = ("AWS::EC2::VPC", "AWS::EC2::NatGateway", "AWS::EC2::VPCEndpoint", "AWS::RDS::DBCluster",
                  "AWS::RDS::DBInstance", "AWS::RDS::DBProxy", "Custom::Trigger", "AWS::ApiGateway::Account",
                  "Custom::VpcRestrictDefaultSG", "Custom::S3BucketNotifications",
                  # No CloudFront in LocalStack's free edition, nor BucketDeployment's custom resource.
                  "AWS::CloudFront::Distribution", "Custom::CDKBucketDeployment",
                  # No ECS either (501): the meeting assistant runs under `make dev` instead.
                  "AWS::ECS::Cluster", "AWS::ECS::TaskDefinition", "AWS::ECS::Service")


def test_local_stage_leaves_out_what_localstack_cannot_run(synth):
    template = synth.templates["local"]
    present = {r["Type"] for r in template["Resources"].values()}
    assert not present & set(ABSENT_LOCALLY)
    for fn in resources(template, "AWS::Lambda::Function").values():
        assert "VpcConfig" not in fn["Properties"]


def test_local_database_secret_points_at_the_embedded_postgres(synth):
    template = synth.templates["local"]
    (secret_id, secret), = [(k, v) for k, v in resources(template, "AWS::SecretsManager::Secret").items()
                            if "SecretString" in v["Properties"]]
    value = secret["Properties"]["SecretString"]
    if isinstance(value, dict):  # {"Fn::Join": ["", [...]]} of literals
        value = "".join(value["Fn::Join"][1])
    assert json.loads(value) == {"engine": "postgres", "host": "127.0.0.1", "port": str(ports.POSTGRES_DEV),
                                 "username": "doctorlive", "password": "", "dbname": "doctorlive"}
    for fn in resources(template, "AWS::Lambda::Function").values():
        env = fn["Properties"]["Environment"]["Variables"]
        if "DB_SECRET_ARN" in env:
            assert refs_in(env["DB_SECRET_ARN"]) == {secret_id}
            assert env["DB_SSLMODE"] == "disable"
