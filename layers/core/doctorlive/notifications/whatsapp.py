"""WhatsApp through Meta's WhatsApp Cloud API:
`POST {base}/{version}/{phone_number_id}/messages` with a bearer token.

Text or template: Meta delivers free-form text only inside a 24-hour customer-service window
(the recipient wrote to the business recently); a business-initiated message such as an
invitation needs an approved template. So: when settings name a template for the kind
(WHATSAPP_TEMPLATE_INVITATION / _CANCELLATION) a template message is sent with the body
parameters of templates.whatsapp_template_parameters; otherwise a text message (fine for the dev
sink and for numbers in a test window). Standard library only (urllib): no HTTP client in the
Lambda bundle.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from doctorlive.notifications.mail import DeliveryError, PermanentDeliveryError
from doctorlive.notifications.models import Kind, Notification, Secret
from doctorlive.notifications.templates import whatsapp_template_parameters, whatsapp_text
from doctorlive.observability import traced
from doctorlive.settings import Settings, get_settings

TEMPLATE_LANGUAGE = {"pt-BR": "pt_BR", "en": "en"}
# Meta error codes that no retry can fix: invalid parameter, undeliverable, recipient not
# allowed, outside the customer-service window (needs a template), template problems.
_PERMANENT_CODES = {100, 131008, 131009, 131021, 131026, 131030, 131047, 131051, 132000, 132001,
                    132005, 132007, 132012}


def payload(n: Notification, secret: Secret | None, settings: Settings | None = None) -> dict:
    s = settings or get_settings()
    template = {Kind.INVITATION: s.whatsapp_template_invitation,
                Kind.CANCELLATION: s.whatsapp_template_cancellation}.get(n.kind, "")
    body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual",
                  "to": n.recipient.lstrip("+")}
    if template:
        body["type"] = "template"
        body["template"] = {
            "name": template,
            "language": {"code": TEMPLATE_LANGUAGE[n.locale]},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": value} for value in whatsapp_template_parameters(n, secret)]}],
        }
    else:
        body["type"] = "text"
        body["text"] = {"preview_url": True, "body": whatsapp_text(n, secret)}
    return body


@traced
def send(n: Notification, secret: Secret | None) -> str:
    """Send; returns Meta's message id (wamid...)."""
    s = get_settings()
    token = s.whatsapp_token.get_secret_value()
    if not token or not s.whatsapp_phone_number_id:
        raise DeliveryError("WhatsApp is not configured (WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID)")
    url = f"{s.whatsapp_api_base.rstrip('/')}/{s.whatsapp_api_version}/{s.whatsapp_phone_number_id}/messages"
    request = urllib.request.Request(
        url, data=json.dumps(payload(n, secret, s)).encode("utf-8"), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=s.whatsapp_timeout_seconds) as resp:
            reply = json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise _classify(exc) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"WhatsApp API unreachable: {type(exc).__name__}") from exc
    try:
        return reply["messages"][0]["id"]
    except (KeyError, IndexError, TypeError) as exc:
        raise DeliveryError("WhatsApp API answered without a message id") from exc


def _classify(exc: urllib.error.HTTPError) -> DeliveryError:
    try:
        error = json.loads(exc.read() or b"{}").get("error", {})
    except ValueError:
        error = {}
    code = error.get("code")
    what = f"WhatsApp API {exc.code}" + (f" (code {code}: {error.get('message', '')[:200]})" if code else "")
    if exc.code == 400 and code in _PERMANENT_CODES:
        return PermanentDeliveryError(what)
    # 401/403 (token), 429 (rate limit), 5xx and anything else: worth another attempt.
    return DeliveryError(what)
