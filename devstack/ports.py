"""Every fixed port the dev stack, the tests and `make e2e` use by default: the one place each
is defined (environment variables override them; tests pick free ports where they can).

All lie below Linux's ephemeral range (sysctl net.ipv4.ip_local_port_range: from 32768 to 60999
by default), where the kernel picks the local port of outgoing connections: a default in that
range can be held by any client's connection at the moment a server wants to bind it (it
happened: the e2e Postgres, then on 55434, could not bind). tests/unit/test_ports.py keeps
them there, and keeps any such port from being written anywhere else.
"""
from __future__ import annotations

EPHEMERAL = range(32768, 61000)

POSTGRES_DEV = 25432    # make dev (PG_PORT)
POSTGRES_TEST = 25433   # pytest (TEST_PG_PORT)
POSTGRES_E2E = 25434    # make e2e (E2E_PG_PORT)
GATEWAY = 8000          # local API gateway (GATEWAY_PORT)
ROOM_SITE = 8080        # participants' site (ROOM_SITE_PORT)
ADMIN_SITE = 8081       # admin site (ADMIN_SITE_PORT)
SMTP_SINK = 1025        # SMTP sink (SINK_SMTP_PORT; settings' SMTP_PORT)
INBOX = 8025            # the SMTP sink's web inbox (SINK_INBOX_PORT)
WHATSAPP_SINK = 8026    # WhatsApp Cloud API sink (SINK_WHATSAPP_PORT)
LIVEKIT_STUB = 7880     # LiveKit stand-in (LIVEKIT_STUB_PORT), LiveKit's own default
LOCALSTACK = 4566       # LocalStack (LOCALSTACK_PORT; localstack/ctl.sh says it too)

DEFAULTS = {name: value for name, value in globals().items() if name.isupper() and isinstance(value, int)}
