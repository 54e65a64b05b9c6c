"""Fetching links for the link check, against a real HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import time

import pytest

from cia import linkfetch as fetch
from tests.linkserver import SLOW_SECONDS, LinkServer


@pytest.fixture(scope="module")
def server():
    with LinkServer() as running:
        yield running


def settings(**changes) -> fetch.Settings:
    values = {"timeout": 2.0, "host_interval": 0.0, "allow_loopback": True}
    values.update(changes)
    return fetch.Settings(**values)


@pytest.mark.parametrize("path,outcome,reason", [
    ("/ok", fetch.OK, ""),
    ("/missing", fetch.DEAD, "page not found (404)"),
    ("/gone", fetch.DEAD, "page removed (410)"),
    ("/moved", fetch.DEAD, "page not found (404)"),  # a redirect to a missing page
    ("/no-head", fetch.OK, ""),  # HEAD refused: asked again with GET
    ("/error", fetch.UNREACHABLE, "server answered 500"),  # a server error says nothing certain
])
def test_outcomes(server, path, outcome, reason):
    result = fetch.check(server.url(path), settings())
    assert (result.outcome, result.reason) == (outcome, reason)


def test_head_first_then_get_only_when_refused(server):
    server.log.clear()
    fetch.check(server.url("/ok"), settings())
    fetch.check(server.url("/no-head"), settings())
    assert [(m, p) for _t, m, p in server.log] == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_host_name_that_does_not_exist_is_dead():
    result = fetch.check("https://no-such-host.invalid/report", settings())
    assert (result.outcome, result.reason) == (fetch.DEAD, "no such host name (DNS failure)")


def test_strict_time_out_is_unreachable_not_dead(server):
    started = time.monotonic()
    result = fetch.check(server.url("/slow"), settings(timeout=0.5))
    assert (result.outcome, result.reason) == (fetch.UNREACHABLE, "timed out")
    assert time.monotonic() - started < SLOW_SECONDS


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/missing", "http://10.0.0.8/x", "http://192.168.1.1/",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]:{port}/missing"])
def test_private_and_loopback_addresses_are_never_fetched_without_the_test_setting(server, url):
    server.log.clear()
    result = fetch.check(url.format(port=server.port), settings(allow_loopback=False))
    assert (result.outcome, result.reason) == (fetch.REFUSED, "not a public address")
    assert server.log == []


def test_a_public_name_pointing_at_a_private_address_is_refused(server):
    pinned = settings(allow_loopback=False, hosts={"evidence.example.org": "127.0.0.1"})
    result = fetch.check(server.url("/missing", "evidence.example.org"), pinned)
    assert result.outcome == fetch.REFUSED
    allowed = settings(hosts={"evidence.example.org": "127.0.0.1"})
    assert fetch.check(server.url("/missing", "evidence.example.org"), allowed).outcome == fetch.DEAD


def test_a_redirect_to_a_private_address_is_not_followed(server):
    result = fetch.check(server.url("/to-internal"), settings())
    assert (result.outcome, result.reason) == (fetch.REFUSED, "not a public address")


def test_only_web_addresses_are_fetched():
    assert fetch.check("ftp://example.org/file", settings()).outcome == fetch.REFUSED
    assert fetch.check("mailto:someone@example.org", settings()).outcome == fetch.REFUSED


def test_a_polite_rate_per_host(server):
    server.log.clear()
    urls = [server.url(f"/ok?n={n}") for n in range(3)] + [server.url("/ok?other", "localhost")]
    results = fetch.check_many(urls, settings(host_interval=0.4, hosts={"localhost": "127.0.0.1"}))
    assert [r.outcome for r in results] == [fetch.OK] * 4
    times = [t for t, _m, p in server.log if "n=" in p]
    assert len(times) == 3 and all(b - a >= 0.39 for a, b in zip(times, times[1:], strict=False))
    # the other host was asked in between, without waiting for the first
    assert [p for _t, _m, p in server.log].index("/ok?other") == 1


def test_stops_at_the_deadline_leaving_the_rest(server):
    urls = [server.url(f"/ok?d={n}") for n in range(5)]
    results = fetch.check_many(urls, settings(host_interval=0.3, timeout=0.2), deadline=time.monotonic() + 0.5)
    assert 1 <= len(results) < 5


def test_interleave_by_host():
    assert fetch.interleave(["http://a.org/1", "http://a.org/2", "http://b.org/1", "http://a.org/1"]) == [
        "http://a.org/1", "http://b.org/1", "http://a.org/2"]


@pytest.mark.parametrize("url", ["http://[::1", "https://www.gov.uk:99999/", "http:///nohost", "https://"])
def test_malformed_addresses_are_refused_without_a_request(url):
    assert fetch.check(url, settings()).outcome == fetch.REFUSED
