"""Sends WhatsApp messages (Cloud API) from the notify-whatsapp queue (SNS channel=whatsapp)."""
from doctorlive import needs
from doctorlive.notifications import whatsapp
from doctorlive.notifications.consumer import lambda_handler
from doctorlive.notifications.models import Channel
from functions.events.wiring import route_for

ROUTE = route_for(__name__)
needs.check(__name__, ROUTE.needs)  # cold start: fail now, naming what the deploy left out

handler = lambda_handler(Channel.WHATSAPP, whatsapp.send, ROUTE.max_receive_count)
