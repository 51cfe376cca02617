"""The files of deploy/ as shipped, made runnable on loopback: the nginx site with test certificates and
free ports, and the gunicorn command line of the systemd unit. Every substitution must find its text, so a
changed file fails the tests instead of being tested half."""
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UNIT = DEPLOY / "systemd/surveyapp@.service"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def make_certificates(folder: Path) -> Path:
    """A self-signed certificate for survey.example.dk and 127.0.0.1 as fullchain.pem and privkey.pem."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=survey.example.dk",
                    "-addext", "subjectAltName=DNS:survey.example.dk,IP:127.0.0.1",
                    "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True)
    return folder


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the shipped file"
    return text.replace(old, new)


def site_files(folder: Path, certificates: Path, instances=None, https_port=None, http_port=None) -> Path:
    """deploy/nginx's site and snippet in `folder`, the certificates and the snippet at their test paths;
    with ports given, also listening on loopback and proxying to the given instances. Returns the site."""
    snippet = folder / "surveyapp-proxy.conf"
    shutil.copy(DEPLOY / "nginx/surveyapp-proxy.conf", snippet)
    site = (DEPLOY / "nginx/surveyapp.conf").read_text()
    site = _replace(site, "/etc/ssl/surveyapp/", f"{certificates}/")
    site = _replace(site, "include /etc/nginx/snippets/surveyapp-proxy.conf;", f"include {snippet};")
    if https_port:
        site = _replace(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        site = _replace(site, "listen [::]:443 ssl http2;", "")
        site = _replace(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
        site = _replace(site, "listen [::]:80;", "")
    for shipped, port in zip(("127.0.0.1:8001", "127.0.0.1:8002"), instances or ()):
        site = _replace(site, f"server {shipped} ", f"server 127.0.0.1:{port} ")
    path = folder / "surveyapp-site.conf"
    path.write_text(site)
    return path


def nginx_test(folder: Path, certificates: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on Debian's own nginx.conf with the shipped site in place of sites-enabled/*."""
    site = site_files(folder, certificates)
    main = _replace(Path("/etc/nginx/nginx.conf").read_text(), "include /etc/nginx/sites-enabled/*;",
                    f"include {site};")
    (folder / "nginx.conf").write_text(main)
    return subprocess.run([NGINX, "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True)


def nginx_config(folder: Path, site: Path) -> Path:
    """A main nginx.conf of the test's own (pid, logs and temp files in `folder`) around the shipped site."""
    (folder / "logs").mkdir(exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    include {site};
}}
""")
    return path


def unit_setting(name: str) -> str:
    """A [Service] setting of deploy/systemd/surveyapp@.service, continuation lines joined."""
    text = UNIT.read_text().replace("\\\n", " ")
    return re.search(rf"^{name}=(.*)$", text, re.MULTILINE).group(1)


def unit_stop_seconds() -> int:
    return int(unit_setting("TimeoutStopSec").rstrip("s"))


def gunicorn_command(port: int, workers: int, threads: int, runtime: Path) -> list[str]:
    """The unit's ExecStart for instance `port`, with this checkout's virtualenv and a runtime folder."""
    command = unit_setting("ExecStart").split()
    values = {"${SURVEYAPP_WORKERS}": str(workers), "${SURVEYAPP_THREADS}": str(threads)}
    command = [values.get(part, part).replace("%i", str(port)) for part in command]
    assert command[0] == "/opt/surveyapp/.venv/bin/gunicorn"
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    return [part.replace(f"/run/surveyapp-{port}", str(runtime)) for part in command]
