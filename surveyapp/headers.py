"""Security headers on every response, and no caching of anything behind the login.

The CSP allows scripts, styles and images from this site only: templates carry no inline script, no inline
event handler and no style attribute (charts are inline SVG with presentation attributes, which CSP allows).
"""
from flask import Flask, request

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")

#: The blueprints open to anyone: the start page and the respondent pages (which say themselves what may be
#: kept: answer pages never, QR codes a day). Every other blueprint is behind the login (results, plans,
#: downloads, PDF reports, administration), so a new one is private from the start: never kept by a browser or
#: proxy.
PUBLIC_BLUEPRINTS = frozenset({"main", "respond"})


def security_headers(response):
    """Add the headers every page gets; keep a stricter value a view set itself."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.blueprint is not None and request.blueprint not in PUBLIC_BLUEPRINTS:
        headers["Cache-Control"] = "no-store"
    return response


def init_headers(app: Flask) -> None:
    app.after_request(security_headers)
