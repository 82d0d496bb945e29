"""The two static web apps on S3 + CloudFront (dev and prod stages; LocalStack's free edition
has neither CloudFront nor BucketDeployment's custom resource, so the local stage has none).

Per site (room: the Vite build `room-site/dist`; admin: the Vite build `admin-site/dist`):

- a private bucket (S3-managed encryption, public access blocked, TLS only, server access logs),
  read by CloudFront only, through origin access control;
- a distribution: `index.html` as root object, SPA routing (403/404 -> `/index.html`, 200, so
  `/join?token=...` and `/room/...` load the app), the security headers `devstack/sites.py`
  sends locally (CSP whose connect-src names this stage's API and, for the room site, LiveKit;
  no referrer: invitation URLs carry a token), standard access logs to a log bucket;
- caching: `/assets/*` (content-hashed) for a year, immutable; every other file `no-cache`
  (CloudFront and browsers revalidate); `config.json` `no-store`, never cached at the edge;
- a generated `config.json` (`{"apiUrl": <this stage's API>, ...}`) written beside the files
  at deploy time, so one build serves every stage.

Order: the distributions exist before the functions (they put the sites' URLs in links and
CORS), and their headers name the RestApi (not its deployment); the files and `config.json` are
deployed once the API exists (`deploy(api)`).
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jsii
from aws_cdk import Aws, CfnOutput, Duration, IStableStringProducer, Lazy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from devstack import sites as local_sites
from infra.config import StageConfig
from infra.nag import acknowledge

ASSETS_CACHE = "public, max-age=31536000, immutable"  # content-hashed file names
PAGES_CACHE = "no-cache"                                # index.html and other fixed names
CONFIG_CACHE = "no-store"                               # the generated config.json
HSTS_SECONDS = 2 * 365 * 24 * 3600


@dataclass(frozen=True)
class SiteFiles:
    key: str                 # "room" | "admin": construct ids, outputs, log prefixes
    root: Path
    exclude: tuple[str, ...]  # never uploaded (config.json is generated at deploy)
    has_assets: bool          # an `assets/` folder of content-hashed files


def room_site_dist(log=lambda line: print(line, file=sys.stderr), site: Path = local_sites.ROOM_SITE) -> Path:
    """room-site/dist, built with `devstack.sites.build()` when missing or stale; a clear error
    (the synth fails) when it cannot be built."""
    dist = site / "dist"
    try:
        local_sites.build(site, log=log)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(
            f"The dev/prod stacks deploy the room site from {dist}, and it could not be built: {exc}. "
            "Install Node 20+ and npm, then run `python -m devstack.sites build` (npm ci + npm run "
            "build in room-site/) and synth again.") from exc
    if not (dist / "index.html").exists():
        raise RuntimeError(f"{dist}/index.html is missing after the room site's build")
    return dist


@jsii.implements(IStableStringProducer)
class _Later:
    """A string known only once the API exists (the CSP's connect-src), resolved at synth."""

    def __init__(self, what: str):
        self.what = what
        self.value: str | None = None

    def produce(self) -> str:
        if self.value is None:
            raise RuntimeError(f"StaticSites: {self.what} was never set (call deploy(api))")
        return self.value


def content_security_policy(connect_src: Sequence[str], media_src: Sequence[str] = ()) -> str:
    """devstack/sites.py's CSP (one policy for local and cloud) with this stage's connect-src
    and media-src (sources that may hold CDK tokens, so they are spliced in, not validated)."""
    csp = local_sites.security_headers({})["Content-Security-Policy"]
    for local, extra in (("connect-src 'self'", connect_src), ("media-src 'self' blob: data:", media_src)):
        if f"{local};" not in csp:
            raise RuntimeError(f"devstack.sites.security_headers changed its {local.split()[0]}; update infra/sites.py")
        csp = csp.replace(local, " ".join([local, *extra]), 1)
    return csp


class StaticSites(Construct):
    def __init__(self, scope: Construct, id: str, *, config: StageConfig, logs_bucket: s3.IBucket,
                 admin_connect_src: Sequence[str] = (), admin_media_src: Sequence[str] = ()):
        """logs_bucket: where CloudFront and the site buckets log;
        admin_connect_src: origins the admin site uploads to (the knowledge bucket's S3);
        admin_media_src: where the admin site plays recordings from (the recordings bucket)."""
        super().__init__(scope, id)
        self.config = config
        self._api_origin = _Later("the API's origin")
        api_origin = Lazy.string(self._api_origin)
        livekit = [f"{scheme}://{host}" for host in config.livekit_hosts for scheme in ("wss", "https")]

        self.room_files = SiteFiles("room", room_site_dist(), exclude=("config.json",), has_assets=True)
        self.admin_files = SiteFiles("admin", room_site_dist(site=local_sites.ADMIN_SITE), exclude=("config.json",),
                                     has_assets=True)

        self.logs_bucket = logs_bucket

        # Everything but /assets/* and config.json: honour the objects' Cache-Control (no-cache:
        # CloudFront revalidates with S3, a deploy is visible at once).
        self.pages_cache = cloudfront.CachePolicy(
            self, "PagesCachePolicy",
            comment="doctor-live sites: honour the objects' Cache-Control (no-cache pages)",
            min_ttl=Duration.seconds(0), default_ttl=Duration.minutes(5), max_ttl=Duration.days(365),
            enable_accept_encoding_gzip=True, enable_accept_encoding_brotli=True,
        )

        self._bucket_of: dict[str, s3.Bucket] = {}
        self.room = self._site(self.room_files, connect_src=[api_origin, *livekit])
        self.admin = self._site(self.admin_files, connect_src=[api_origin, *admin_connect_src],
                                media_src=admin_media_src)

        CfnOutput(scope, "RoomSiteUrl", value=self.room_url)
        CfnOutput(scope, "AdminSiteUrl", value=self.admin_url)

    @property
    def room_url(self) -> str:
        return f"https://{self.room.distribution_domain_name}"

    @property
    def admin_url(self) -> str:
        return f"https://{self.admin.distribution_domain_name}"

    def _site(self, files: SiteFiles, *, connect_src: Sequence[str],
              media_src: Sequence[str] = ()) -> cloudfront.Distribution:
        name = files.key.title()
        bucket = s3.Bucket(
            self, f"{name}Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs_bucket,
            server_access_logs_prefix=f"s3/{files.key}/",
            removal_policy=self.config.removal_policy,
        )
        headers = self._headers_policy(name, connect_src, media_src)
        origin = origins.S3BucketOrigin.with_origin_access_control(bucket)

        def behavior(cache_policy: cloudfront.ICachePolicy) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cache_policy,
                response_headers_policy=headers,
                compress=True,
            )

        extra = {"/config.json": behavior(cloudfront.CachePolicy.CACHING_DISABLED)}
        if files.has_assets:
            extra["/assets/*"] = behavior(cloudfront.CachePolicy.CACHING_OPTIMIZED)
        # S3 answers 403 for a missing key (CloudFront may not list the bucket), 404 otherwise.
        spa = [cloudfront.ErrorResponse(http_status=status, response_http_status=200,
                                        response_page_path="/index.html", ttl=Duration.seconds(10))
               for status in (403, 404)]
        distribution = cloudfront.Distribution(
            self, f"{name}Distribution",
            comment=f"doctor-live {self.config.name} {files.key} site",
            default_root_object="index.html",
            default_behavior=behavior(self.pages_cache),
            additional_behaviors=extra,
            error_responses=spa,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            # Participants and clinics are anywhere (South America included): every edge.
            price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
            enable_logging=True,
            log_bucket=self.logs_bucket,
            log_file_prefix=f"cloudfront/{files.key}/",
        )
        self._bucket_of[files.key] = bucket
        acknowledge(distribution, "AwsSolutions-CFR1",
                    reason="No geo restriction: clinics and their participants join from anywhere, "
                           "and an invitation link is the only way in.")
        acknowledge(distribution, "AwsSolutions-CFR2",
                    reason="No WAF yet (from ~$6/month per web ACL): the sites are static files; "
                           "abuse is limited at the API (throttling, login rate limits). Open item "
                           "in infra/README.md.")
        acknowledge(distribution, "AwsSolutions-CFR4",
                    reason="The sites use the default *.cloudfront.net certificate, whose viewer "
                           "TLS policy cannot be raised (browsers negotiate TLS 1.2/1.3 anyway); "
                           "an ACM certificate with TLSv1.2_2021 comes with the sites' own domains.")
        return distribution

    def _headers_policy(self, name: str, connect_src: Sequence[str],
                        media_src: Sequence[str] = ()) -> cloudfront.ResponseHeadersPolicy:
        """devstack/sites.py's headers (one source for local and cloud) plus HSTS."""
        local = local_sites.security_headers({})
        known = {"Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "X-Frame-Options"}
        if (local["Referrer-Policy"], local["X-Frame-Options"], local["X-Content-Type-Options"]) != \
                ("no-referrer", "DENY", "nosniff"):
            raise RuntimeError("devstack.sites.security_headers changed; update infra/sites.py to match")
        return cloudfront.ResponseHeadersPolicy(
            self, f"{name}Headers",
            comment=f"doctor-live {self.config.name} {name.lower()} site: CSP, no referrer, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(connect_src, media_src), override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_SECONDS), include_subdomains=True,
                    override=True),
            ),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(custom_headers=[
                cloudfront.ResponseCustomHeader(header=header, value=value, override=True)
                for header, value in local.items() if header not in known
            ]),
        )

    def deploy(self, api: apigw.RestApi) -> None:
        """Upload both sites and their config.json (which names this stage's API)."""
        origin = f"https://{api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
        self._api_origin.value = origin
        api_url = f"{origin}/{api.deployment_stage.stage_name}"
        self._deploy(self.room_files, self.room, {"apiUrl": api_url, "livekitUrl": ""})
        self._deploy(self.admin_files, self.admin, {"apiUrl": api_url})
        self._acknowledge_deployment_handler()

    def _deploy(self, files: SiteFiles, distribution: cloudfront.Distribution, site_config: dict) -> None:
        name, bucket = files.key.title(), self._bucket_of[files.key]
        source = s3deploy.Source.asset(str(files.root), exclude=list(files.exclude))
        assets = None
        if files.has_assets:
            # Old chunks stay (prune off): a page loaded before a deploy still finds its lazy chunks.
            assets = s3deploy.BucketDeployment(
                self, f"{name}Assets", destination_bucket=bucket, sources=[source],
                exclude=["*"], include=["assets/*"], prune=False,
                cache_control=[s3deploy.CacheControl.from_string(ASSETS_CACHE)])
        pages = s3deploy.BucketDeployment(
            self, f"{name}Files", destination_bucket=bucket, sources=[source],
            exclude=["assets/*", "config.json"],  # neither uploaded nor pruned here
            cache_control=[s3deploy.CacheControl.from_string(PAGES_CACHE)],
            distribution=distribution, distribution_paths=["/*"])
        if assets is not None:
            pages.node.add_dependency(assets)  # the new index.html only after its chunks
        s3deploy.BucketDeployment(
            self, f"{name}Config", destination_bucket=bucket,
            sources=[s3deploy.Source.json_data("config.json", site_config)],
            include=["config.json"], prune=False,
            cache_control=[s3deploy.CacheControl.from_string(CONFIG_CACHE)])

    def _acknowledge_deployment_handler(self) -> None:
        """BucketDeployment's singleton function (CDK's own, at the stack's root) and its role."""
        stack = Stack.of(self)
        handlers = [c for c in stack.node.children if c.node.id.startswith("Custom::CDKBucketDeployment")]
        site_objects = [f"Resource::<{stack.get_logical_id(b.node.default_child)}.Arn>/*"
                        for b in self._bucket_of.values()]
        wildcards = {
            **{f"Action::s3:{a}": "CDK's BucketDeployment copies, lists and prunes objects: the "
                                   "s3:...* object and bucket read/list actions CDK grants it."
               for a in ("Abort*", "DeleteObject*", "GetBucket*", "GetObject*", "List*")},
            **{r: "Objects of a site bucket, written and pruned by CDK's BucketDeployment; "
                  "nothing else in the account." for r in site_objects},
            "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*":
                "The CDK bootstrap asset bucket, where BucketDeployment reads the zipped site files.",
            "Resource::*": "cloudfront:CreateInvalidation/GetInvalidation after an upload: CDK "
                           "grants them on '*' (no data action; tests/infra checks that).",
        }
        for handler in handlers:
            acknowledge(handler, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                                 "service-role/AWSLambdaBasicExecutionRole]",
                        reason="CDK's BucketDeployment function uses AWS's minimal Lambda policy "
                               "(CloudWatch Logs writes only).")
            for finding, reason in wildcards.items():
                acknowledge(handler, f"AwsSolutions-IAM5[{finding}]", reason=reason)
            acknowledge(handler, "AwsSolutions-L1",
                        reason="CDK's BucketDeployment function: aws-cdk-lib pins its runtime, which "
                               "moves with CDK upgrades.")
