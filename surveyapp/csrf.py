"""CSRF protection that a browser which hides its Referer can pass.

Flask-WTF checks the form's token and, over HTTPS, also demands a Referer from this host
(WTF_CSRF_SSL_STRICT). A browser that sends none (`Referrer-Policy: no-referrer` set by a hospital proxy or
an extension, Firefox's `network.http.sendRefererHeader=0`) got 400 on every form. The token stays required
(it is tied to the session cookie: SameSite=Lax, Secure, and HSTS keeps the site on HTTPS); the origin check
uses what a browser does send and refuses a post that says it came from elsewhere: a cross-site
`Sec-Fetch-Site`, a foreign `Origin` or a foreign `Referer`. A post that names no origin at all is allowed.
"""
from flask import Flask, g, request
from flask_wtf.csrf import CSRFProtect, same_origin

#: Sec-Fetch-Site of a form sent from this site's own pages ("none": the user typed or bookmarked it).
OWN_SITE = frozenset({"same-origin", "none"})


def from_this_site() -> bool:
    """False when the request's Sec-Fetch-Site, Origin or Referer names another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in OWN_SITE:
        return False
    origin = request.headers.get("Origin")
    # "null" is what a browser sends under Referrer-Policy: no-referrer: it hides the origin, names none.
    if origin and origin != "null" and not same_origin(origin, request.host_url):
        return False
    return not request.referrer or same_origin(request.referrer, request.host_url)


class SameOriginCSRF(CSRFProtect):
    """Flask-WTF's token check, with the Referer demand replaced by `from_this_site`."""

    def init_app(self, app: Flask) -> None:
        app.config["WTF_CSRF_SSL_STRICT"] = False  # the Referer demand this class replaces
        super().init_app(app)

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        if g.get("csrf_valid") and not from_this_site():
            self._error_response("The request came from another site.")
