"""Guards on raw input, so that nothing a client sends reaches a query the database cannot run.

PostgreSQL refuses NUL (U+0000) in text and integers past 2**31 - 1; SQLite overflows past 2**63. Without
these guards such input answered 500 (psycopg.DataError, OverflowError) instead of a 4xx.
"""
from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: The largest id or number any query takes: a PostgreSQL `integer`.
DB_INT_MAX = 2**31 - 1

#: Respondent text answers may carry a NUL (a pasted text): the form removes it instead of refusing.
_STRIPPED_FIELDS = {"respond.answer": "item_"}


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` in every route, bounded to what a database integer holds: larger ids are a plain 404."""

    def __init__(self, map, fixed_digits=0, min=0, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def db_int(value: str) -> int:
    """`type=` for request.args.get: an int a query can take (0 … 2**31 - 1), else ValueError (the default)."""
    number = int(value)
    if not 0 <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def refuse_nul() -> None:
    """NUL in the path is no page (404); in a query or a form field it is no honest request (400)."""
    if "\x00" in request.path:
        abort(404)
    if _has_nul(request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        prefix = _STRIPPED_FIELDS.get(request.endpoint or "")
        pairs = ((key, value) for key, value in request.form.items(multi=True)
                 if prefix is None or not key.startswith(prefix))
        if _has_nul(pairs):
            abort(400)


def init_inputs(app: Flask) -> None:
    """Bound `<int:>` in routes (before blueprints register) and refuse NUL before any view runs; behind
    SURVEYAPP_PROXY_HOPS trusted proxies, read the client's address, scheme and host from their headers (the
    throttles key on the real client, not on the proxy)."""
    hops = app.config.get("SURVEYAPP_PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul)
