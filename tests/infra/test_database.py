"""Aurora in the cloud stages: private, encrypted, scaled to its minimum when idle, reached
only by the functions and the meeting assistant (through RDS Proxy where the stage has one)."""
from __future__ import annotations

import pytest

from tests.infra.cfn import props, ref_id, refs_in, resources

CLOUD = ("dev", "prod", "prod-options")


def _security_group_ingress(template: dict, group_id: str) -> list[dict]:
    inline = props(template, group_id).get("SecurityGroupIngress", [])
    separate = [r["Properties"] for r in resources(template, "AWS::EC2::SecurityGroupIngress").values()
                if ref_id(r["Properties"]["GroupId"]) == group_id]
    return inline + separate


def _is_postgres_port(rule: dict) -> bool:
    """5432, or the cluster's own port attribute (which is 5432)."""
    return all(rule[k] == 5432 or (isinstance(rule[k], dict) and rule[k].get("Fn::GetAtt", [None, ""])[1]
                                  == "Endpoint.Port") for k in ("FromPort", "ToPort"))


def _function_security_groups(template: dict) -> set[str]:
    return {ref_id(sg) for fn in resources(template, "AWS::Lambda::Function").values()
            for sg in fn["Properties"].get("VpcConfig", {}).get("SecurityGroupIds", [])}


def _agent_security_groups(template: dict) -> set[str]:
    return {ref_id(sg) for svc in resources(template, "AWS::ECS::Service").values()
            for sg in svc["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"]}


@pytest.mark.parametrize("stage", CLOUD)
def test_database_is_private_and_encrypted(synth, stage):
    template = synth.templates[stage]
    (cluster,) = resources(template, "AWS::RDS::DBCluster").values()
    c = cluster["Properties"]
    assert c["Engine"] == "aurora-postgresql" and int(c["EngineVersion"].split(".")[0]) >= 15  # pgvector
    assert c["StorageEncrypted"] is True
    for instance in resources(template, "AWS::RDS::DBInstance").values():
        assert instance["Properties"]["PubliclyAccessible"] is False
        assert instance["Properties"]["DBInstanceClass"] == "db.serverless"

    # Its subnets have no route anywhere: no internet gateway, no NAT.
    (group,) = resources(template, "AWS::RDS::DBSubnetGroup").values()
    subnets = {ref_id(s) for s in group["Properties"]["SubnetIds"]}
    assert len(subnets) >= 2
    tables = {ref_id(a["Properties"]["RouteTableId"])
              for a in resources(template, "AWS::EC2::SubnetRouteTableAssociation").values()
              if ref_id(a["Properties"]["SubnetId"]) in subnets}
    routes = [r for r in resources(template, "AWS::EC2::Route").values()
              if ref_id(r["Properties"]["RouteTableId"]) in tables]
    assert routes == []
    for subnet in subnets:
        assert props(template, subnet)["MapPublicIpOnLaunch"] is False


@pytest.mark.parametrize("stage", CLOUD)
def test_database_logs_leave_out_row_data(synth, stage):
    """PostgreSQL's DETAIL can hold a failing row (a password hash): the exported log is terse."""
    template = synth.templates[stage]
    (cluster,) = resources(template, "AWS::RDS::DBCluster").values()
    group = props(template, ref_id(cluster["Properties"]["DBClusterParameterGroupName"]))
    assert group["Parameters"]["log_error_verbosity"] == "terse"


@pytest.mark.parametrize("stage", CLOUD)
def test_only_the_functions_and_the_assistant_reach_the_database(synth, stage):
    template = synth.templates[stage]
    (cluster,) = resources(template, "AWS::RDS::DBCluster").values()
    (db_sg,) = {ref_id(sg) for sg in cluster["Properties"]["VpcSecurityGroupIds"]}
    (functions_sg,) = _function_security_groups(template)
    (agent_sg,) = _agent_security_groups(template)
    db_ingress = _security_group_ingress(template, db_sg)
    proxies = resources(template, "AWS::RDS::DBProxy")
    if proxies:
        (proxy,) = proxies.values()
        (proxy_sg,) = {ref_id(sg) for sg in proxy["Properties"]["VpcSecurityGroupIds"]}
        assert [ref_id(r["SourceSecurityGroupId"]) for r in db_ingress] == [proxy_sg]
        proxy_ingress = _security_group_ingress(template, proxy_sg)
        assert sorted(ref_id(r["SourceSecurityGroupId"]) for r in proxy_ingress) == \
            sorted([functions_sg, agent_sg])
        assert all(_is_postgres_port(r) for r in db_ingress + proxy_ingress)
    else:
        assert sorted(ref_id(r["SourceSecurityGroupId"]) for r in db_ingress) == \
            sorted([functions_sg, agent_sg])
        assert all(_is_postgres_port(r) for r in db_ingress)
    assert not any("CidrIp" in r or "CidrIpv6" in r for r in db_ingress)


def test_idle_cost_choices_per_stage(synth):
    dev, prod = synth.templates["dev"], synth.templates["prod"]
    scaling = {s: next(iter(resources(t, "AWS::RDS::DBCluster").values()))["Properties"]
               ["ServerlessV2ScalingConfiguration"] for s, t in (("dev", dev), ("prod", prod))}
    assert scaling["dev"]["MinCapacity"] == 0      # auto-pause: storage is the only idle cost
    assert scaling["prod"]["MinCapacity"] == 0.5
    # RDS Proxy (8 ACU minimum on Serverless v2, $87.60/month) only when asked for
    # (-c dbProxy=true: the prod-options stack); tests/infra/test_cost.py has the budget instead.
    assert resources(dev, "AWS::RDS::DBProxy") == {} and resources(prod, "AWS::RDS::DBProxy") == {}
    options = synth.templates["prod-options"]
    (proxy_id,) = resources(options, "AWS::RDS::DBProxy")
    for fn in resources(options, "AWS::Lambda::Function").values():
        env = fn["Properties"].get("Environment", {}).get("Variables", {})
        if "DB_SECRET_ARN" in env:
            assert refs_in(env["DB_HOST_OVERRIDE"]) == {proxy_id}
            assert env["DB_SSLMODE"] == "require"
    # One NAT at most per stage (the knowledge base calls OpenAI).
    for template in (dev, prod, options):
        assert len(resources(template, "AWS::EC2::NatGateway")) + len(resources(template, "AWS::EC2::Instance")) == 1


def test_snapshot_on_delete_and_deletion_protection_in_prod(synth):
    for stage in CLOUD:
        (cluster,) = resources(synth.templates[stage], "AWS::RDS::DBCluster").values()
        assert cluster["DeletionPolicy"] == "Snapshot"
        assert cluster["Properties"]["DeletionProtection"] is stage.startswith("prod")
