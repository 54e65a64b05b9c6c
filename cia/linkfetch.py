"""Fetching public links to find dead ones: strict time-outs, a polite rate per host, public addresses only.

Flask-free. A link is dead when the server answers 404 (Not Found) or 410 (Gone), or when its host
name does not exist (DNS failure); anything else that goes wrong (a time-out, a refused connection,
a server error) says nothing certain about the link and is recorded as "unreachable", not dead.

Only http and https links to public addresses are fetched. The host name is resolved here, every
address it resolves to must be public (not private, loopback, link-local, reserved or multicast),
and the connection is made to that checked address, so that a name cannot be re-pointed at an
internal address between the check and the request. Redirects are followed (up to
`MAX_REDIRECTS`), each checked the same way. Only headers are read: a HEAD request, or a GET
whose body is never read when the server refuses HEAD.

`allow_loopback` (a test setting) lets the tests fetch from a server on 127.0.0.1; `hosts`
fixes the address of a host name, as /etc/hosts does, for the same tests.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

OK, DEAD, UNREACHABLE, REFUSED = "ok", "dead", "unreachable", "refused"
DEAD_STATUSES = {404: "page not found (404)", 410: "page removed (410)"}
MAX_REDIRECTS = 3
USER_AGENT = "CIA-link-check/1 (checks links in published Community Impact Assessments)"


@dataclass(frozen=True)
class Result:
    url: str
    outcome: str  # OK, DEAD, UNREACHABLE or REFUSED
    reason: str = ""  # "page not found (404)", "no such host name", "timed out" ...
    status: int | None = None


@dataclass
class Settings:
    timeout: float = 5.0  # seconds, for connecting and for each read
    host_interval: float = 2.0  # seconds between two requests to the same host
    allow_loopback: bool = False  # tests only: fetch from 127.0.0.1
    hosts: dict[str, str] = field(default_factory=dict)  # host name -> fixed address (tests)
    user_agent: str = USER_AGENT


class NotPublic(Exception):
    """The address is private, loopback or otherwise not on the public internet."""


def _public(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.is_loopback:
        return allow_loopback
    return not (ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified)


def resolve(host: str, port: int, settings: Settings) -> str:
    """One public address of `host` (every address it has must be public); raises socket.gaierror or NotPublic."""
    fixed = settings.hosts.get(host.lower())
    if fixed:
        addresses = [fixed]
    else:
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = list(dict.fromkeys(str(info[4][0])
                                           for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
    if not addresses or not all(_public(a, settings.allow_loopback) for a in addresses):
        raise NotPublic(host)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _request(url: str, method: str, settings: Settings) -> tuple[int, str]:
    """(status, Location header) of one request to `url`, connecting to its checked public address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = resolve(host, port, settings)
    kind = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = kind(host, port, address, settings.timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, headers={"User-Agent": settings.user_agent, "Accept": "*/*"})
        response = connection.getresponse()  # headers only: the body is never read
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def check(url: str, settings: Settings) -> Result:
    """Fetch the headers of `url` (following redirects) and say whether it is dead."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            parts = urlsplit(current)
            _ = parts.port  # raises on a port that is not a number
        except ValueError:
            return Result(url, REFUSED, "not a web address")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Result(url, REFUSED, "not a web address")
        try:
            status, location = _request(current, "HEAD", settings)
            if status in (405, 501):  # HEAD not allowed: ask for the page, but read only its headers
                status, location = _request(current, "GET", settings)
        except NotPublic:
            return Result(url, REFUSED, "not a public address")
        except socket.gaierror:
            return Result(url, DEAD, "no such host name (DNS failure)")
        except TimeoutError:
            return Result(url, UNREACHABLE, "timed out")
        except ssl.SSLError:
            return Result(url, UNREACHABLE, "secure connection failed")
        except (OSError, http.client.HTTPException):
            return Result(url, UNREACHABLE, "could not connect")
        if status in DEAD_STATUSES:
            return Result(url, DEAD, DEAD_STATUSES[status], status)
        if status in (301, 302, 303, 307, 308) and location:
            current = urljoin(current, location)
            continue
        if status >= 400:
            return Result(url, UNREACHABLE, f"server answered {status}", status)
        return Result(url, OK, "", status)
    return Result(url, UNREACHABLE, "too many redirects")


def check_many(urls: Iterable[str], settings: Settings, *, deadline: float | None = None,
               clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
               ) -> list[Result]:
    """Check each link in turn, waiting `host_interval` between two requests to one host; stop at `deadline`."""
    last: dict[str, float] = {}
    out = []
    for url in interleave(urls):
        host = (urlsplit(url).hostname or "").lower()
        wait = last[host] + settings.host_interval - clock() if host in last else 0.0
        if deadline is not None and clock() + max(wait, 0.0) + settings.timeout > deadline:
            break  # not enough time left to check this link properly
        if wait > 0:
            sleep(wait)
        out.append(check(url, settings))
        last[host] = clock()
    return out


def interleave(urls: Iterable[str]) -> list[str]:
    """The links in turns by host (a.org, b.org, a.org ...), so that waiting for one host is rarely needed."""
    by_host: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append(url)
    queues = list(by_host.values())
    out = []
    while queues:
        out += [q.pop(0) for q in queues]
        queues = [q for q in queues if q]
    return out
