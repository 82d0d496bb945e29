"""Settings come from arguments, then the environment (any case, alias choices in order, JSON
for list and dict fields), then the defaults: what every function and the dev stack rely on to
be configured by the CDK app or devstack. Read without pydantic-settings (cold start, issue 14)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from doctorlive.settings import Settings


def test_each_field_comes_from_its_variable_in_any_case(monkeypatch):
    monkeypatch.setenv("MEETING_MAX_HOURS", "6")
    monkeypatch.setenv("email_backend", "ses")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    s = Settings()
    assert (s.meeting_max_hours, s.email_backend) == (6, "ses")
    assert s.openai_api_key.get_secret_value() == "sk-test" and "sk-test" not in repr(s)


def test_arguments_win_over_the_environment_and_the_environment_over_defaults(monkeypatch):
    monkeypatch.setenv("MEETING_MAX_HOURS", "6")
    monkeypatch.delenv("RETENTION_BATCH_SIZE", raising=False)
    s = Settings(meeting_max_hours=3)
    assert s.meeting_max_hours == 3
    assert s.retention_batch_size == Settings.model_fields["retention_batch_size"].default


def test_alias_choices_are_tried_in_order(monkeypatch):
    for name in ("RECORDINGS_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert Settings().recordings_region == "eu-west-1"
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert Settings().recordings_region == "eu-central-1"
    monkeypatch.setenv("RECORDINGS_REGION", "sa-east-1")
    assert Settings().recordings_region == "sa-east-1"
    assert Settings(recordings_region="us-west-2").recordings_region == "us-west-2"


def test_list_and_dict_fields_are_json(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    monkeypatch.setenv("MODEL_PRICES", '{"m": {"input": 1.5}}')
    s = Settings()
    assert s.cors_origins == ["https://a.example", "https://b.example"]
    assert s.model_prices == {"m": {"input": 1.5}}
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example")
    with pytest.raises(ValueError, match="CORS_ORIGINS must be JSON"):
        Settings()


def test_a_bad_value_names_its_field(monkeypatch):
    monkeypatch.setenv("MEETING_MAX_HOURS", "many")
    with pytest.raises(ValidationError, match="meeting_max_hours"):
        Settings()
