"""Notifications: meeting invitations, cancellations and set-password e-mails.

The API writes one `notifications` row per message and channel and publishes the message to
the SNS topic after its transaction commits (outbox.py); one SQS queue per channel feeds one
notifier Lambda (consumer.py) that sends by e-mail (mail.py: SMTP or SES) or WhatsApp
(whatsapp.py). The message's secret part (magic link, password) is sealed (sealing.py): only
the notifiers open it.
"""
