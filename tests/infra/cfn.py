"""Small readers for synthesized CloudFormation templates (plain dicts)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def app_functions(template: dict) -> dict[str, dict]:
    """doctor-live's own functions (handlers in functions/), not CDK's providers (some of which,
    like BucketDeployment's, are Python too)."""
    return {k: v for k, v in resources(template, "AWS::Lambda::Function").items()
            if str(v["Properties"].get("Handler", "")).startswith("functions.")}


def props(template: dict, logical_id: str) -> dict:
    return template["Resources"][logical_id].get("Properties", {})


def ref_id(value: Any) -> str | None:
    """The logical id behind {"Ref": id} or {"Fn::GetAtt": [id, attr]}."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            return value["Fn::GetAtt"][0]
    return None


def refs_in(value: Any) -> set[str]:
    """Every logical id referenced anywhere inside a value (pseudo parameters left out)."""
    found: set[str] = set()
    if isinstance(value, dict):
        if (rid := ref_id(value)) is not None and not rid.startswith("AWS::"):
            found.add(rid)
        for v in value.values():
            found |= refs_in(v)
    elif isinstance(value, list):
        for v in value:
            found |= refs_in(v)
    return found


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def api_methods(template: dict) -> dict[tuple[str, str], dict]:
    """(HTTP method, path) -> Method properties, with paths rebuilt from the resource tree."""
    parts = {k: (v["Properties"]["ParentId"], v["Properties"]["PathPart"])
             for k, v in resources(template, "AWS::ApiGateway::Resource").items()}

    def path_of(resource_id: Any) -> str:
        rid = ref_id(resource_id)
        if rid not in parts:  # {"Fn::GetAtt": [api, "RootResourceId"]}
            return ""
        parent, part = parts[rid]
        return f"{path_of(parent)}/{part}"

    return {(m["Properties"]["HttpMethod"], path_of(m["Properties"]["ResourceId"]) or "/"): m["Properties"]
            for m in resources(template, "AWS::ApiGateway::Method").values()}


def policy_statements(template: dict) -> Iterator[tuple[str, dict]]:
    """(owner logical id, statement) for every IAM policy, managed or inline."""
    for lid, res in template["Resources"].items():
        p = res.get("Properties", {})
        if res["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for st in p["PolicyDocument"]["Statement"]:
                yield lid, st
        elif res["Type"] == "AWS::IAM::Role":
            for policy in p.get("Policies", []):
                for st in policy["PolicyDocument"]["Statement"]:
                    yield lid, st


def role_policies(template: dict, role_id: str) -> list[dict]:
    """Statements of the AWS::IAM::Policy resources attached to a role."""
    out = []
    for res in resources(template, "AWS::IAM::Policy").values():
        if role_id in refs_in(res["Properties"].get("Roles", [])):
            out.extend(res["Properties"]["PolicyDocument"]["Statement"])
    return out
