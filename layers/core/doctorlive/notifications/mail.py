"""E-mail: the MIME message (text + HTML, and for meetings an iCalendar invitation both as a
text/calendar alternative, which calendar-aware clients act on, and as an invite.ics attachment)
and its delivery through SMTP (dev, tests, any relay) or Amazon SES (cloud)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from doctorlive.notifications import ics
from doctorlive.notifications.models import Kind, Notification, Secret
from doctorlive.notifications.templates import email_content, link_line
from doctorlive.observability import traced
from doctorlive.settings import Settings, get_settings
from doctorlive.validation import one_line


class DeliveryError(Exception):
    """A failed attempt that may succeed later (the message is retried)."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help (e.g. the recipient address is refused): the message is failed."""


def build_message(n: Notification, secret: Secret | None, settings: Settings | None = None) -> EmailMessage:
    s = settings or get_settings()
    content = email_content(n, secret)
    sender = parseaddr(s.email_from)[1] or "no-reply@doctorlive.local"
    msg = EmailMessage()
    # Headers hold one line whatever was stored: a line break would stop every e-mail.
    msg["Subject"] = one_line(content.subject)
    msg["From"] = s.email_from
    msg["To"] = formataddr((one_line(n.recipient_name), n.email or ""))
    msg["Date"] = formatdate(localtime=False)
    # Stable per notification: a message that is ever delivered twice is recognisably the same.
    msg["Message-ID"] = f"<{n.notification_id}@{sender.rpartition('@')[2]}>"
    msg["X-Doctorlive-Notification"] = str(n.notification_id)
    msg.set_content(content.text)
    msg.add_alternative(content.html, subtype="html")
    if n.meeting and n.kind in (Kind.INVITATION, Kind.CANCELLATION):
        method = "REQUEST" if n.kind is Kind.INVITATION else "CANCEL"
        link = secret.link if secret else None
        description = "\n\n".join(p for p in (
            n.meeting.description if n.kind is Kind.INVITATION else None,
            link_line(n.locale, link) if link else None) if p)
        invite = ics.calendar(n.meeting, method=method, attendee_name=n.recipient_name,
                              attendee_email=n.email or "", link=link, description=description or None)
        # Bytes, so the calendar keeps its CRLF line ends (text parts are re-wrapped).
        msg.add_alternative(invite.encode("utf-8"), maintype="text", subtype="calendar",
                            params={"method": method, "charset": "utf-8"})
        msg.add_attachment(invite.encode("utf-8"), maintype="application", subtype="ics",
                           filename="invite.ics", params={"method": method})
    return msg


@traced
def send(n: Notification, secret: Secret | None) -> str:
    """Send; returns the provider's message id."""
    s = get_settings()
    msg = build_message(n, secret, s)
    if s.email_backend == "ses":
        return _send_ses(msg, n, s)
    return _send_smtp(msg, n, s)


def _send_smtp(msg: EmailMessage, n: Notification, s: Settings) -> str:
    import smtplib

    try:
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= c < 600 for c in codes):
            raise PermanentDeliveryError(f"SMTP refused the recipient ({codes})") from exc
        raise DeliveryError(f"SMTP refused the recipient for now ({codes})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {s.smtp_host}:{s.smtp_port}: {type(exc).__name__}: {exc}") from exc
    return msg["Message-ID"]


def _send_ses(msg: EmailMessage, n: Notification, s: Settings) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    from doctorlive import aws

    request = {"FromEmailAddress": s.email_from, "Destination": {"ToAddresses": [n.email]},
               "Content": {"Raw": {"Data": msg.as_bytes()}}}
    if s.ses_configuration_set:
        request["ConfigurationSetName"] = s.ses_configuration_set
    try:
        return aws.client("sesv2").send_email(**request)["MessageId"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("MessageRejected", "BadRequestException"):
            raise PermanentDeliveryError(f"SES rejected the message: {code}") from exc
        raise DeliveryError(f"SES: {code}") from exc
    except BotoCoreError as exc:
        raise DeliveryError(f"SES: {type(exc).__name__}") from exc
