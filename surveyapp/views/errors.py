"""Error pages: HTML in the user's language, JSON for API clients; a 500 rolls the transaction back."""
import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from .auth import start_url

logger = logging.getLogger(__name__)


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_message(code: int) -> str:
    messages = {
        400: _("The request could not be understood. Please go back and try again."),
        401: _("Please log in to see this page."),
        403: _("You do not have access to this page."),
        404: _("The page was not found. Check the address or scan the QR code again."),
        405: _("That action is not possible on this page."),
        410: _("This page is no longer available."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
    }
    return messages.get(code, _("Something went wrong on our side. Please try again in a moment."))


def staff_error_message(code: int) -> str | None:
    """For a logged-in user away from the respondent pages: words for someone who followed a link."""
    return {
        403: _("Your login does not give access to this page. Ask an administrator if you need it."),
        404: _("The page was not found, or it lies outside the units you follow. Check the address or go back to your start page."),
    }.get(code)


def _logged_in_staff() -> bool:
    return request.blueprint != "respond" and current_user.is_authenticated


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    if isinstance(error, CSRFError):
        message = _("The form had expired or your browser blocked its cookie. Please reload the page and try again.")
    else:
        message = error_message(code)
    if _wants_json():
        return {"error": error.name, "message": message, "status": code}, code
    start = None
    if code < 500 and _logged_in_staff():
        message = staff_error_message(code) or message
        start = start_url(current_user)
    return render_template("errors/error.html", code=code, message=message, start=start), code


def handle_unexpected(error: Exception):
    logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_error(InternalServerError())


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
