"""Checks `make run` makes before it starts gunicorn; standard library only (it runs before .venv exists).

Usage: python3 tools/run_preflight.py HOST PORT

Prints the public URL that QR codes and links will carry and exits 0, or prints one line on stderr and exits 1:
- the port is taken (by an earlier `make run`, another server): the line suggests `PORT=`;
- HOST is every interface (0.0.0.0 or ::) and the machine has no non-loopback address: the line asks for
  SURVEYAPP_PUBLIC_URL.

The public URL is SURVEYAPP_PUBLIC_URL when set; on every interface, the machine's primary non-loopback IP
address (the one its default route leaves from), which a phone on the same network can reach, never the
host name (phones cannot resolve `vm` or `laptop.local`); else http://HOST:PORT.
"""
import ipaddress
import os
import socket
import subprocess
import sys

EVERY_INTERFACE = ("0.0.0.0", "::", "")
#: TEST-NET-1 (RFC 5737): connecting a UDP socket there picks the default route's source address and sends
#: nothing.
ROUTE_PROBE = ("192.0.2.1", 9)


class PreflightError(Exception):
    """Why `make run` cannot start, in one line."""


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now (SO_REUSEADDR, as gunicorn binds)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _reachable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def _routed_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(ROUTE_PROBE)
            return probe.getsockname()[0]
        except OSError:  # no default route
            return None


def _listed_addresses() -> list[str]:
    try:
        listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(listed, key=lambda address: ":" in address)  # IPv4 first: easier to type from a poster


def primary_address() -> str | None:
    """The machine's primary non-loopback IP address: the default route's source, else the first that
    `hostname -I` lists; None if it has none."""
    for address in [_routed_address(), *_listed_addresses()]:
        if address and _reachable(address):
            return address
    return None


def public_url(host: str, port: int, environ=os.environ, find_address=primary_address) -> str:
    """The base URL for QR codes and links; raise PreflightError when no address a phone can reach is known."""
    if environ.get("SURVEYAPP_PUBLIC_URL"):
        return environ["SURVEYAPP_PUBLIC_URL"].rstrip("/")
    if host in EVERY_INTERFACE:
        address = find_address()
        if address is None:
            raise PreflightError(f"surveyapp: this machine has no network address that phones can reach; set "
                                 f"SURVEYAPP_PUBLIC_URL (e.g. SURVEYAPP_PUBLIC_URL=http://192.168.1.20:{port})")
        host = address
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def check(host: str, port: int, environ=os.environ, find_address=primary_address) -> str:
    """The public URL, after checking the port is free; raise PreflightError otherwise."""
    if not port_is_free(host or "0.0.0.0", port):
        raise PreflightError(f"surveyapp: port {port} on {host or '0.0.0.0'} is taken; "
                             f"start on another one with `make run PORT={port + 1}`")
    return public_url(host, port, environ, find_address)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python3 tools/run_preflight.py HOST PORT", file=sys.stderr)
        return 2
    try:
        print(check(argv[0], int(argv[1])))
    except PreflightError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
