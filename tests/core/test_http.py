"""Issue 7 (4): the client address believes X-Forwarded-For only behind declared proxies."""

from __future__ import annotations

from django.test import RequestFactory

from tunduk.core.http import client_ip


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_header_is_ignored(settings):
    """Issue 7 (4): with no trusted proxy, the socket's address is the client's."""
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "10.0.0.1")) == "203.0.113.7"


def test_behind_one_proxy_the_last_entry_is_the_client(settings):
    """Issue 7 (4): one proxy appends the client's address; entries the client wrote are ignored."""
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.1.1.1", "6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    """Issue 7 (4): with two proxies, the outer one's entry names the client."""
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 2
    request = request_from("10.1.1.1", "6.6.6.6, 203.0.113.7, 10.2.2.2")
    assert client_ip(request) == "203.0.113.7"


def test_a_short_or_garbled_header_falls_back_to_the_socket(settings):
    """Issue 7 (4): a header missing the proxy's entry, or not an address, is not believed."""
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.1.1.1", "203.0.113.7")) == "10.1.1.1"
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.1.1.1", "not-an-address")) == "10.1.1.1"
    assert client_ip(request_from("10.1.1.1")) == "10.1.1.1"


def test_ipv6_addresses_are_normalised(settings):
    """Issue 7 (4): one address written two ways counts as one client."""
    settings.TUNDUK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.1.1.1", "2001:DB8:0:0::1")) == "2001:db8::1"
