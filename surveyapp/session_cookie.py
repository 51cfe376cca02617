"""Flask's signed session cookie, with its signing serializer made once per secret instead of per request.

Flask builds a new URLSafeTimedSerializer to open and again to save every session; building one costs more
than signing (itsdangerous test-serialises an empty dict to tell text from bytes). The cookie is the same:
the same keys (SECRET_KEY and SECRET_KEY_FALLBACKS), salt, serializer and signer settings.
"""
from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """SecureCookieSessionInterface that keeps its serializer until the secret keys change."""

    def __init__(self) -> None:
        self._kept = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept_keys, serializer = self._kept
        if kept_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._kept = (keys, serializer)
        return serializer


def init_session_cookie(app: Flask) -> None:
    app.session_interface = KeptSerializerSessionInterface()
