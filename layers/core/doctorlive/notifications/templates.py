"""What a notification says, in the entity's language (pt-BR or English): e-mail subject, text
and HTML bodies, and the WhatsApp text and template parameters. Pure functions, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from doctorlive.notifications.models import Kind, Meeting, Notification, Secret
from doctorlive.validation import one_line

_WEEKDAYS = {
    "pt-BR": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
              "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "pt-BR": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
              "setembro", "outubro", "novembro", "dezembro"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

# Each kind: subject, greeting, paragraphs (text lines; {placeholders} filled below), footer.
_TEXT = {
    "pt-BR": {
        Kind.INVITATION: {
            "subject": "Convite: {title} — {date}",
            "intro": "{organizer} ({entity}) convidou você para a reunião “{title}”.",
            "when": "Quando: {when}",
            "link": "Entre pelo link: {link}",
            "password": "Senha de acesso: {password}",
            "button": "Entrar na reunião",
            "note": "O link e a senha são pessoais: não os compartilhe. A senha é pedida ao entrar na sala.",
        },
        Kind.CANCELLATION: {
            "subject": "Cancelada: {title} — {date}",
            "intro": "A reunião “{title}”, marcada por {organizer} ({entity}), foi cancelada.",
            "when": "Era em: {when}",
            "note": "O link de acesso desta reunião não vale mais.",
        },
        Kind.SET_PASSWORD: {
            "subject": "Defina sua senha do doctor-live",
            "intro": "Uma conta foi criada para você em {entity}.",
            "link": "Defina sua senha por este link: {link}",
            "button": "Definir senha",
            "expires": "O link vale uma única vez, até {expires}.",
            "note": "Se você não esperava esta mensagem, ignore-a.",
        },
        Kind.MEETING_NOTES: {
            "subject": "Notas da reunião: {title} — {date}",
            "intro": "As notas do assistente da reunião “{title}” ({entity}) estão prontas.",
            "when": "Reunião: {when}",
            "summary": "Resumo",
            "actions": "Próximos passos",
            "no_actions": "Nenhum próximo passo registrado.",
            "link": "Veja a reunião no doctor-live: {link}",
            "button": "Abrir a reunião",
            "note": "A transcrição não é enviada por e-mail: consulte-a no doctor-live.",
        },
        "hello": "Olá, {name}!",
        "whatsapp_invitation": "Olá, {name}! {organizer} convidou você para “{title}” em {when}.\n"
                               "Entre pelo link: {link}\nSenha de acesso: {password}",
        "whatsapp_cancellation": "Olá, {name}! A reunião “{title}” de {when} foi cancelada.",
        "tz": "horário de {tz}",
    },
    "en": {
        Kind.INVITATION: {
            "subject": "Invitation: {title} — {date}",
            "intro": "{organizer} ({entity}) invited you to the meeting “{title}”.",
            "when": "When: {when}",
            "link": "Join with this link: {link}",
            "password": "Access password: {password}",
            "button": "Join the meeting",
            "note": "The link and password are personal: do not share them. "
                    "You will be asked for the password when you join.",
        },
        Kind.CANCELLATION: {
            "subject": "Cancelled: {title} — {date}",
            "intro": "The meeting “{title}” organised by {organizer} ({entity}) has been cancelled.",
            "when": "It was scheduled for: {when}",
            "note": "Its access link no longer works.",
        },
        Kind.SET_PASSWORD: {
            "subject": "Set your doctor-live password",
            "intro": "An account has been created for you at {entity}.",
            "link": "Choose your password with this link: {link}",
            "button": "Set password",
            "expires": "The link works once, until {expires}.",
            "note": "If you did not expect this message, you can ignore it.",
        },
        Kind.MEETING_NOTES: {
            "subject": "Meeting notes: {title} — {date}",
            "intro": "The assistant's notes of the meeting “{title}” ({entity}) are ready.",
            "when": "Meeting: {when}",
            "summary": "Summary",
            "actions": "Action items",
            "no_actions": "No action items were recorded.",
            "link": "See the meeting in doctor-live: {link}",
            "button": "Open the meeting",
            "note": "The transcript is not sent by e-mail: read it in doctor-live.",
        },
        "hello": "Hello {name},",
        "whatsapp_invitation": "Hello {name}, {organizer} invited you to “{title}” on {when}.\n"
                               "Join with this link: {link}\nAccess password: {password}",
        "whatsapp_cancellation": "Hello {name}, the meeting “{title}” on {when} has been cancelled.",
        "tz": "{tz} time",
    },
}


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def _local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def format_date(moment: datetime, tz: str, locale: str) -> str:
    d = _local(moment, tz)
    if locale == "pt-BR":
        return f"{d.day:02d}/{d.month:02d}/{d.year} {d:%H:%M}"
    return f"{d.day} {_MONTHS['en'][d.month - 1][:3]} {d.year} {d:%H:%M}"


def format_when(meeting: Meeting, locale: str) -> str:
    start, end = _local(meeting.start, meeting.timezone), _local(meeting.end, meeting.timezone)
    weekday, month = _WEEKDAYS[locale][start.weekday()], _MONTHS[locale][start.month - 1]
    words = _TEXT[locale]
    if locale == "pt-BR":
        day = f"{weekday}, {start.day} de {month} de {start.year}"
    else:
        day = f"{weekday}, {start.day} {month} {start.year}"
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{format_date(end, meeting.timezone, locale)}"
    return f"{day}, {start:%H:%M}–{until} ({words['tz'].format(tz=meeting.timezone)})"


def _fields(n: Notification, secret: Secret | None) -> dict[str, str]:
    # What people typed is one line here whatever was stored: it goes into the Subject header
    # and WhatsApp template parameters (Meta refuses line breaks and tabs there).
    f = {"name": one_line(n.recipient_name), "entity": one_line(n.entity_name or ""),
         "link": secret.link if secret else "", "password": (secret.password or "") if secret else ""}
    if n.meeting:
        m = n.meeting
        f.update(title=one_line(m.title), organizer=one_line(m.organizer_name), entity=one_line(m.entity_name),
                 when=format_when(m, n.locale), date=format_date(m.start, m.timezone, n.locale))
    if n.expires_at:
        tz = n.meeting.timezone if n.meeting else n.timezone or "UTC"
        f["expires"] = format_date(n.expires_at, tz, n.locale) + f" ({tz})"
    return f


def email_content(n: Notification, secret: Secret | None) -> EmailContent:
    t = _TEXT[n.locale]
    k = t[n.kind]
    f = _fields(n, secret)
    lines = [t["hello"].format(**f), "", k["intro"].format(**f)]
    if "when" in k:
        lines.append(k["when"].format(**f))
    if n.meeting and n.meeting.description and n.kind is Kind.INVITATION:
        lines += ["", n.meeting.description]
    notes = secret.notes if secret and n.kind is Kind.MEETING_NOTES else None
    if notes is not None:
        lines += ["", k["summary"], "", notes.summary, "", k["actions"]]
        lines += [f"- {one_line(item)}" for item in notes.action_items] or [k["no_actions"]]
    if "link" in k:
        lines += ["", k["link"].format(**f)]
    if "password" in k:
        lines.append(k["password"].format(**f))
    if "expires" in k and "expires" in f:
        lines.append(k["expires"].format(**f))
    lines += ["", k["note"], "", "— doctor-live"]
    text = "\n".join(lines) + "\n"

    e = {key: escape(value) for key, value in f.items()}
    parts = [f"<p>{escape(t['hello'].format(**f))}</p>", f"<p>{escape(k['intro'].format(**f))}</p>"]
    if "when" in k:
        parts.append(f"<p><strong>{escape(k['when'].format(**f))}</strong></p>")
    if n.meeting and n.meeting.description and n.kind is Kind.INVITATION:
        parts.append(f"<p style=\"white-space:pre-line\">{escape(n.meeting.description)}</p>")
    if notes is not None:
        parts.append(f"<h3>{escape(k['summary'])}</h3>"
                     f"<p style=\"white-space:pre-line\">{escape(notes.summary)}</p>"
                     f"<h3>{escape(k['actions'])}</h3>")
        parts.append("<ul>" + "".join(f"<li>{escape(one_line(item))}</li>" for item in notes.action_items)
                     + "</ul>" if notes.action_items else f"<p>{escape(k['no_actions'])}</p>")
    if "button" in k:
        parts.append(
            f"<p><a href=\"{e['link']}\" style=\"display:inline-block;padding:12px 20px;"
            f"background:#0b6bcb;color:#fff;border-radius:6px;text-decoration:none\">"
            f"{escape(k['button'])}</a></p>"
            f"<p style=\"font-size:13px;color:#555\">{escape(k['link'].format(**f))}</p>")
    if "password" in k:
        label = k["password"].split("{password}")[0]
        parts.append(f"<p>{escape(label)}<strong style=\"font-size:22px;letter-spacing:3px;"
                     f"font-family:monospace\">{e['password']}</strong></p>")
    if "expires" in k and "expires" in f:
        parts.append(f"<p>{escape(k['expires'].format(**f))}</p>")
    parts.append(f"<p style=\"font-size:13px;color:#555\">{escape(k['note'])}</p>")
    html = ("<!doctype html><html lang=\"" + n.locale + "\"><body style=\"font-family:Arial,sans-serif;"
            "font-size:15px;color:#222\">" + "".join(parts) + "<p>— doctor-live</p></body></html>")
    return EmailContent(subject=k["subject"].format(**f), text=text, html=html)


def link_line(locale: str, link: str) -> str:
    """"Join with this link: ..." (the calendar event's description)."""
    return _TEXT[locale][Kind.INVITATION]["link"].format(link=link)


def whatsapp_text(n: Notification, secret: Secret | None) -> str:
    t = _TEXT[n.locale]
    key = "whatsapp_invitation" if n.kind is Kind.INVITATION else "whatsapp_cancellation"
    return t[key].format(**_fields(n, secret))


def whatsapp_template_parameters(n: Notification, secret: Secret | None) -> list[str]:
    """Body parameters, in order, of the approved templates (docs/notifications.md):
    invitation {{1}} name {{2}} title {{3}} when {{4}} link {{5}} password;
    cancellation {{1}} name {{2}} title {{3}} when."""
    f = _fields(n, secret)
    if n.kind is Kind.INVITATION:
        return [f["name"], f["title"], f["when"], f["link"], f["password"]]
    return [f["name"], f["title"], f["when"]]
