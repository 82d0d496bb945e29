"""Sends notification e-mails (SMTP or SES) from the notify-email queue (SNS channel=email)."""
from doctorlive.notifications import mail
from doctorlive.notifications.consumer import lambda_handler
from doctorlive.notifications.models import Channel

from functions.events.wiring import EVENTS

ROUTE = next(r for r in EVENTS if r.module == "notify_email")

handler = lambda_handler(Channel.EMAIL, mail.send, ROUTE.max_receive_count)
