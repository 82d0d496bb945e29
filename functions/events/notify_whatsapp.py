"""Sends WhatsApp messages (Cloud API) from the notify-whatsapp queue (SNS channel=whatsapp)."""
from doctorlive.notifications import whatsapp
from doctorlive.notifications.consumer import lambda_handler
from doctorlive.notifications.models import Channel

from functions.events.wiring import EVENTS

ROUTE = next(r for r in EVENTS if r.module == "notify_whatsapp")

handler = lambda_handler(Channel.WHATSAPP, whatsapp.send, ROUTE.max_receive_count)
