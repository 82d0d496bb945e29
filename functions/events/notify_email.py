"""Sends notification e-mails (SMTP or SES) from the notify-email queue (SNS channel=email)."""
from doctorlive import needs
from doctorlive.notifications import mail
from doctorlive.notifications.consumer import lambda_handler
from doctorlive.notifications.models import Channel
from functions.events.wiring import route_for

ROUTE = route_for(__name__)
needs.check(__name__, ROUTE.needs)  # cold start: fail now, naming what the deploy left out

handler = lambda_handler(Channel.EMAIL, mail.send, ROUTE.max_receive_count)
