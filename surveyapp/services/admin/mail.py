"""Mail, only when a mail server is configured (MAIL_SERVER); otherwise nothing is sent."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import gettext as _

logger = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether a mail server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text mail; False (and a logged warning) when no server is configured or sending fails."""
    config = current_app.config
    if not enabled():
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("mail to user could not be sent: %s", exc.__class__.__name__)
        return False
    return True


def send_invitation(to: str, url: str, days: int) -> bool:
    """The set-password link by mail, if mail is configured."""
    body = _("You have been given access to surveyapp, the patient safety surveys.\n\n"
             "Choose your password here within %(days)d days (the link works once):\n%(url)s\n", days=days, url=url)
    return send(to, _("Your access to surveyapp"), body)
