"""Compressed responses: pages by Flask-Compress; static files by WhiteNoise: compressed (Brotli, gzip) and cached for a year under versioned URLs.

`url_for('static', filename=...)` adds `?v=<content hash>`, so a changed file gets a new URL and browsers may
keep every static file for a year. The compressed copies are made by `make static` (this module run as a
script), next to the originals and never committed; WhiteNoise picks the best one the browser accepts.
"""
import hashlib
import os
import sys
from pathlib import Path

from flask import Flask
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

ONE_YEAR = 365 * 24 * 3600
STATIC_DIR = Path(__file__).resolve().parent / "static"


def init_static(app: Flask) -> None:
    """Compress pages; serve /static through WhiteNoise; version every static URL by its content."""
    # A respondent page is ~17 KB of repetitive radio markup and ~2.5 KB compressed: on poor hospital Wi-Fi
    # that matters. Brotli at a fast level, else gzip; static files never reach Flask (WhiteNoise).
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "application/json", "text/csv", "image/svg+xml"])
    Compress(app)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=app.static_folder, prefix=app.static_url_path,
                              max_age=ONE_YEAR, autorefresh=app.debug)
    versions: dict[str, tuple[float, str]] = {}

    def versioned(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        path = os.path.join(app.static_folder, values["filename"])
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return
        cached = versions.get(path)
        if cached is None or cached[0] != mtime:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
            cached = versions[path] = (mtime, digest)
        values["v"] = cached[1]

    app.url_defaults(versioned)


def compress_static(folder: Path = STATIC_DIR, quiet: bool = True) -> list[str]:
    """Write .br and .gz copies of every compressible static file that lacks a fresh one; returns their paths."""
    compressor = Compressor(quiet=quiet)
    written = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not compressor.should_compress(path.name):
            continue
        copies = [path.with_name(path.name + ext) for ext in (".br", ".gz")]
        if all(c.exists() and c.stat().st_mtime >= path.stat().st_mtime for c in copies):
            continue
        written.extend(compressor.compress(str(path)))
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else STATIC_DIR
    print(f"compressed {len(compress_static(folder))} static files in {folder}")
