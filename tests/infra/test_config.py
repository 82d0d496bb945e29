"""Stage selection and context overrides (no synth)."""
from __future__ import annotations

import pytest

from infra.config import stage_config


def test_default_stage_is_dev_and_stages_differ_where_cost_and_safety_do():
    dev, prod, local = (stage_config({"stage": s}.get) for s in ("dev", "prod", "local"))
    assert stage_config({}.get).name == "dev"
    assert (dev.db_min_acu, dev.db_proxy, dev.db_deletion_protection) == (0, False, False)
    assert (prod.db_min_acu, prod.db_proxy, prod.db_deletion_protection) == (0.5, False, True)
    assert dev.nat_provider == prod.nat_provider == "instance" and dev.agent_desired_count == 0
    assert local.cloud is False and dev.cloud and prod.cloud


def test_context_overrides_are_typed():
    config = stage_config({"stage": "dev", "dbProxy": "true", "dbMinAcu": "0.5", "natGateways": "0",
                           "corsOrigins": "https://a.example,https://b.example", "localDbPort": "25434"}.get)
    assert config.db_proxy is True and config.db_min_acu == 0.5 and config.nat_gateways == 0
    assert config.cors_origins == ("https://a.example", "https://b.example")
    assert config.local_db_port == 25434


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage"):
        stage_config({"stage": "staging"}.get)


def test_site_and_whatsapp_context_values():
    config = stage_config({"stage": "prod", "roomSiteUrl": "https://meet.example.org",
                           "livekitHosts": "clinic.livekit.cloud,lk.example.org",
                           "whatsappPhoneNumberId": "123", "whatsappTemplateInvitation": "invite_v2"}.get)
    assert config.room_site_url == "https://meet.example.org" and config.admin_site_url == ""
    assert config.livekit_hosts == ("clinic.livekit.cloud", "lk.example.org")
    assert (config.whatsapp_phone_number_id, config.whatsapp_template_invitation) == ("123", "invite_v2")
    # Cloud stages answer CORS for their own sites (added by the stack) and whatever -c corsOrigins adds.
    assert config.cors_origins == () and stage_config({"stage": "local"}.get).cors_origins == ("*",)
