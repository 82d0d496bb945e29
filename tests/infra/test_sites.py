"""The room and admin sites on S3 + CloudFront (infra/sites.py): dev and prod only."""
from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from functions.api.routes import ROUTES
from functions.events.wiring import EVENTS
from tests.infra.cfn import app_functions, as_list, props, ref_id, refs_in, resources

CLOUD = ("dev", "prod")
# AWS-managed cache policies.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def _ids(synth, stage: str) -> dict[str, str]:
    """Logical ids of the sites' pieces and the API's."""
    stack = synth.stacks[stage]
    lid = lambda c: stack.get_logical_id(c.node.default_child)
    sites = stack.sites
    return {"room": lid(sites.room), "admin": lid(sites.admin),
            "room_bucket": lid(sites._bucket_of["room"]), "admin_bucket": lid(sites._bucket_of["admin"]),
            "api": lid(stack.api.api), "api_stage": lid(stack.api.api.deployment_stage),
            "api_deployment": lid(stack.api.api.latest_deployment)}


def _joined(value) -> str:
    """A string or Fn::Join of strings and references, with references as <LogicalId>."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(_joined(p) for p in parts)
    rid = ref_id(value)
    return f"<{rid}>" if rid else json.dumps(value)


def _headers_policy(template: dict, distribution_id: str) -> dict:
    config = props(template, distribution_id)["DistributionConfig"]
    policies = {ref_id(b["ResponseHeadersPolicyId"])
                for b in [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]}
    (policy_id,) = policies  # every behavior sends the same headers
    return props(template, policy_id)["ResponseHeadersPolicyConfig"]


@pytest.mark.parametrize("stage", CLOUD)
def test_two_distributions_with_spa_routing_and_private_origins(synth, stage):
    template, ids = synth.templates[stage], _ids(synth, stage)
    assert set(resources(template, "AWS::CloudFront::Distribution")) == {ids["room"], ids["admin"]}
    for site in ("room", "admin"):
        config = props(template, ids[site])["DistributionConfig"]
        assert config["DefaultRootObject"] == "index.html"
        errors = {e["ErrorCode"]: e for e in config["CustomErrorResponses"]}
        assert set(errors) == {403, 404}
        for e in errors.values():
            assert (e["ResponseCode"], e["ResponsePagePath"]) == (200, "/index.html")
        (origin,) = config["Origins"]
        assert refs_in(origin["DomainName"]) == {ids[f"{site}_bucket"]}
        assert refs_in(origin["OriginAccessControlId"]) & set(
            resources(template, "AWS::CloudFront::OriginAccessControl"))
        assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
        assert refs_in(config["Logging"]["Bucket"])  # standard logs to the sites' log bucket
        behaviors = {b["PathPattern"]: b for b in config.get("CacheBehaviors", [])}
        assert behaviors["/config.json"]["CachePolicyId"] == CACHING_DISABLED
        if site == "room":
            assert behaviors["/assets/*"]["CachePolicyId"] == CACHING_OPTIMIZED


@pytest.mark.parametrize("stage", CLOUD)
def test_security_headers_name_the_api_and_livekit_and_send_no_referrer(synth, stage):
    template, ids = synth.templates[stage], _ids(synth, stage)
    for site in ("room", "admin"):
        policy = _headers_policy(template, ids[site])
        security = policy["SecurityHeadersConfig"]
        csp = _joined(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        connect = next(d for d in csp.split("; ") if d.startswith("connect-src "))
        assert f"https://<{ids['api']}>.execute-api." in connect
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert security["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"
        assert security["FrameOptions"]["FrameOption"] == "DENY"
        assert security["ContentTypeOptions"]["Override"] is True
        assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
        custom = {h["Header"]: h["Value"] for h in policy["CustomHeadersConfig"]["Items"]}
        assert custom["Permissions-Policy"] == \
            "camera=(self), microphone=(self), display-capture=(self), fullscreen=(self)"
        media = next(d for d in csp.split("; ") if d.startswith("media-src "))
        if site == "room":
            assert "wss://*.livekit.cloud" in connect and "https://*.livekit.cloud" in connect
            assert media == "media-src 'self' blob: data:"
        else:
            # PDFs upload by presigned POST straight to S3, path style: the POST goes to exactly
            # the knowledge bucket's path on the endpoint, which a virtual-host origin would not admit.
            knowledge = f"doctorlive-{stage}-knowledge-<AWS::AccountId>-<AWS::Region>"
            s3_sources = [s for s in connect.split(" ") if "s3" in s]
            assert s3_sources == [f"https://s3.<AWS::Region>.<AWS::URLSuffix>/{knowledge}",
                                  f"https://s3.<AWS::URLSuffix>/{knowledge}"], connect
            # Recordings play from path-style presigned GETs: that bucket's path on the S3
            # endpoints, and nothing else (no other bucket, no whole endpoint, no wildcard).
            recordings = f"doctorlive-{stage}-recordings-<AWS::AccountId>-<AWS::Region>/"
            assert media.split(" ") == [
                "media-src", "'self'", "blob:", "data:",
                f"https://s3.<AWS::Region>.<AWS::URLSuffix>/{recordings}", f"https://s3.<AWS::URLSuffix>/{recordings}"]
        # The headers name the RestApi, never its deployment or stage: the functions (and the
        # migrate trigger the API's deployment waits for) depend on the distributions.
        refs = refs_in(security)
        assert ids["api"] in refs and not refs & {ids["api_stage"], ids["api_deployment"]}


@pytest.mark.parametrize("stage", CLOUD)
def test_every_bucket_is_private_encrypted_and_tls_only(synth, stage):
    template = synth.templates[stage]
    policies = {ref_id(p["Properties"]["Bucket"]): p["Properties"]["PolicyDocument"]["Statement"]
                for p in resources(template, "AWS::S3::BucketPolicy").values()}
    for lid, bucket in resources(template, "AWS::S3::Bucket").items():
        p = bucket["Properties"]
        assert all(p["PublicAccessBlockConfiguration"].values()) and len(
            p["PublicAccessBlockConfiguration"]) == 4, lid
        assert p["BucketEncryption"]["ServerSideEncryptionConfiguration"], lid
        assert any(st["Effect"] == "Deny" and st["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                   for st in policies[lid]), lid
    # The site buckets admit CloudFront (their own distribution) and nobody else.
    ids = _ids(synth, stage)
    for site in ("room", "admin"):
        allows = [st for st in policies[ids[f"{site}_bucket"]] if st["Effect"] == "Allow"]
        assert allows and all(st["Principal"] == {"Service": "cloudfront.amazonaws.com"}
                              and as_list(st["Action"]) == ["s3:GetObject"] for st in allows)
        assert all(ids[site] in refs_in(st["Condition"]) for st in allows)


@pytest.mark.parametrize("stage", CLOUD)
def test_files_and_a_generated_config_json_naming_the_api(synth, stage):
    template, ids = synth.templates[stage], _ids(synth, stage)
    deployments = resources(template, "Custom::CDKBucketDeployment")
    by_bucket: dict[str, list[dict]] = {}
    for d in deployments.values():
        by_bucket.setdefault(ref_id(d["Properties"]["DestinationBucketName"]), []).append(d["Properties"])
    assert set(by_bucket) == {ids["room_bucket"], ids["admin_bucket"]}
    for site in ("room", "admin"):
        cache = {d["SystemMetadata"]["cache-control"]: d for d in by_bucket[ids[f"{site}_bucket"]]}
        config = cache["no-store"]  # the generated config.json
        markers = config["SourceMarkers"]
        assert {ids["api"], ids["api_stage"]} <= refs_in(markers)
        url = _joined(next(iter(markers[0].values())))
        assert url == f'"https://<{ids["api"]}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/<{ids["api_stage"]}>"'
        pages = cache["no-cache"]
        assert "config.json" in pages["Exclude"] and pages["Prune"] is not False
        assert refs_in(pages["DistributionId"]) == {ids[site]}  # invalidated after an upload
    room = {d["SystemMetadata"]["cache-control"] for d in by_bucket[ids["room_bucket"]]}
    assert "public, max-age=31536000, immutable" in room


def _needs_notifications() -> int:
    return sum("notifications" in r.needs for r in (*ROUTES, *EVENTS))


@pytest.mark.parametrize("stage", CLOUD)
def test_functions_that_send_links_know_the_sites_and_api_functions_allow_them(synth, stage):
    template, ids = synth.templates[stage], _ids(synth, stage)
    with_links = 0
    for lid, fn in app_functions(template).items():
        env = fn["Properties"]["Environment"]["Variables"]
        if "NOTIFICATIONS_SECRET_ARN" in env:
            with_links += 1
            assert _joined(env["ROOM_SITE_URL"]) == f"https://<{ids['room']}>", lid
            assert _joined(env["ADMIN_SITE_URL"]) == f"https://<{ids['admin']}>", lid
        else:
            assert "ROOM_SITE_URL" not in env and "ADMIN_SITE_URL" not in env, lid
        if fn["Properties"]["Handler"].startswith("functions.api."):
            origins = _joined(env["CORS_ORIGINS"])
            assert origins == f'["https://<{ids["room"]}>", "https://<{ids["admin"]}>"]', lid
    assert with_links == _needs_notifications() > 0


def test_local_stage_has_no_sites(synth):
    template = synth.templates["local"]
    assert synth.stacks["local"].sites is None
    for type_ in ("AWS::CloudFront::Distribution", "AWS::CloudFront::ResponseHeadersPolicy",
                  "Custom::CDKBucketDeployment"):
        assert resources(template, type_) == {}
    assert "RoomSiteUrl" not in template.get("Outputs", {})
    for fn in app_functions(template).values():
        env = fn["Properties"]["Environment"]["Variables"]
        assert "ROOM_SITE_URL" not in env  # the settings' default: the dev stack's sites
        if "CORS_ORIGINS" in env:
            assert json.loads(env["CORS_ORIGINS"]) == ["*"]


@pytest.mark.parametrize("stage", CLOUD)
def test_site_urls_are_outputs(synth, stage):
    outputs = synth.templates[stage]["Outputs"]
    ids = _ids(synth, stage)
    assert _joined(outputs["RoomSiteUrl"]["Value"]) == f"https://<{ids['room']}>"
    assert _joined(outputs["AdminSiteUrl"]["Value"]) == f"https://<{ids['admin']}>"


def test_context_overrides_site_urls_and_whatsapp_settings(synth):
    """-c roomSiteUrl / adminSiteUrl (custom domains) and the WhatsApp settings reach the env."""
    factory = copy.copy(synth.stacks["dev"].functions)
    factory.config = replace(factory.config, whatsapp_phone_number_id="123456",
                             whatsapp_template_invitation="invite_v2",
                             whatsapp_template_cancellation="")
    factory.site_urls = {"room": "https://meet.example.org", "admin": "https://admin.example.org"}
    env = factory.environment(("db", "notifications", "whatsapp"))
    assert env["ROOM_SITE_URL"] == "https://meet.example.org"
    assert env["ADMIN_SITE_URL"] == "https://admin.example.org"
    assert env["WHATSAPP_PHONE_NUMBER_ID"] == "123456"
    assert env["WHATSAPP_TEMPLATE_INVITATION"] == "invite_v2"
    assert "WHATSAPP_TEMPLATE_CANCELLATION" not in env  # not given: the settings' default
    assert "WHATSAPP_PHONE_NUMBER_ID" not in factory.environment(("db", "notifications"))


def test_a_room_site_that_cannot_be_built_fails_the_synth_clearly(monkeypatch):
    from devstack import sites as local_sites
    from infra.sites import room_site_dist

    def no_npm(*args, **kwargs):
        raise RuntimeError("npm is not installed: the room site needs Node 20 and npm to build")

    monkeypatch.setattr(local_sites, "build", no_npm)
    with pytest.raises(RuntimeError, match=r"could not be built: npm is not installed.*devstack.sites build"):
        room_site_dist()


def test_the_local_admin_site_plays_media_only_from_the_recordings_bucket():
    """devstack/sites.py (the policy the cloud one is made from): media-src names the bucket's
    own path on the S3 endpoint, as the presigned GETs address it, and refuses anything broader."""
    from devstack.sites import bucket_source, security_headers

    source = bucket_source("http://127.0.0.1:4566", "doctorlive-dev-recordings")
    assert source == "http://127.0.0.1:4566/doctorlive-dev-recordings/"
    csp = security_headers({"apiUrl": "http://127.0.0.1:8000"}, media_from=(source,))["Content-Security-Policy"]
    assert "media-src 'self' blob: data: http://127.0.0.1:4566/doctorlive-dev-recordings/;" in csp
    assert "connect-src 'self' http://127.0.0.1:8000 ws://127.0.0.1:8000;" in csp  # unchanged
    assert "media-src 'self' blob: data:;" in security_headers({})["Content-Security-Policy"]
    for bad in ("https://*.amazonaws.com", "http://a/ b", "x; script-src *", ""):
        with pytest.raises(ValueError):
            security_headers({}, media_from=(bad,))
    with pytest.raises(ValueError):
        bucket_source("127.0.0.1:4566", "doctorlive-dev-recordings")


def test_the_cloud_policy_adds_media_sources_to_the_local_one():
    from infra.sites import content_security_policy

    csp = content_security_policy(["https://api.example"], ["https://s3.sa-east-1.amazonaws.com/rec-bucket/"])
    assert "connect-src 'self' https://api.example;" in csp
    assert "media-src 'self' blob: data: https://s3.sa-east-1.amazonaws.com/rec-bucket/;" in csp
    assert "media-src 'self' blob: data:;" in content_security_policy([])
