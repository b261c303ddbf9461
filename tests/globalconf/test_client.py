"""The gateway's configuration client over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tunduk.globalconf import (
    CACHE_FILE,
    MAX_CLOCK_SKEW,
    ConfigurationAnchor,
    ConfigurationClient,
    DownloadError,
    ExpiredError,
    FutureConfigurationError,
    GlobalConfiguration,
    MissingConfigurationError,
    SignatureError,
    SignedConfiguration,
    VersionRollbackError,
)
from tunduk.trust.ca import certificate_to_pem

from .conftest import Clock, ConfigurationServer, Signer

MakeConf = Callable[..., GlobalConfiguration]


def test_refresh_downloads_verifies_and_caches(
    server: ConfigurationServer, client: ConfigurationClient, make_conf: MakeConf, signer: Signer
) -> None:
    """refresh() returns the verified configuration and writes the envelope to the cache."""
    signed = signer.sign(make_conf())
    server.publish(signed)
    conf = client.refresh()
    assert conf == make_conf()
    assert client.current() == conf
    assert client.is_valid()
    assert (client.cache_dir / CACHE_FILE).read_bytes() == signed.to_bytes()
    assert [p.name for p in client.cache_dir.iterdir()] == [CACHE_FILE]


def test_tampered_download_keeps_the_last_good_copy(
    server: ConfigurationServer, client: ConfigurationClient, make_conf: MakeConf, signer: Signer
) -> None:
    """A tampered document is refused and the last good copy stays, in memory and on disk."""
    good = signer.sign(make_conf())
    server.publish(good)
    client.refresh()
    newer = signer.sign(make_conf(version=2))
    tampered = SignedConfiguration(
        newer.document.replace(b"10.0.0.5:5500", b"10.6.6.6:5500"),
        newer.signature,
        newer.signer_certificate_pem,
    )
    server.publish(tampered)
    with pytest.raises(SignatureError, match="signature does not verify"):
        client.refresh()
    assert client.current().version == 1
    assert (client.cache_dir / CACHE_FILE).read_bytes() == good.to_bytes()


def test_expiry_makes_current_refuse(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Once expires_at passes without a fresh copy, current() raises ExpiredError."""
    server.publish(signer.sign(make_conf()))
    client.refresh()
    clock.advance(timedelta(minutes=10))
    assert not client.is_valid()
    with pytest.raises(ExpiredError, match="expired at 2025-06-02T09:40:00Z"):
        client.current()
    with pytest.raises(ExpiredError):
        client.refresh()  # the server still serves the stale version


def test_polling_accepts_newer_and_refuses_rollback(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Each poll takes a newer version; an older one (a replay) is refused."""
    old = signer.sign(make_conf(version=1))
    server.publish(old)
    client.refresh()
    clock.advance(timedelta(seconds=60))
    server.publish(signer.sign(make_conf(version=2, now=clock.now)))
    assert client.refresh().version == 2
    server.publish(old)
    with pytest.raises(VersionRollbackError, match="version 1 is older than version 2"):
        client.refresh()
    assert client.current().version == 2


def test_same_version_with_other_content_is_refused(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """The same version may be served again, but not with different content."""
    server.publish(signer.sign(make_conf(version=3)))
    client.refresh()
    assert client.refresh().version == 3
    server.publish(signer.sign(make_conf(version=3, now=clock.now + timedelta(seconds=1))))
    with pytest.raises(VersionRollbackError, match="already accepted with different content"):
        client.refresh()


def test_new_client_loads_the_cached_copy(
    server: ConfigurationServer,
    client: ConfigurationClient,
    anchor: ConfigurationAnchor,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """After a restart the last good copy is loaded from disk, re-verified, and used."""
    server.publish(signer.sign(make_conf(version=5)))
    client.refresh()
    server.stop()  # central unreachable from now on
    restarted = ConfigurationClient(server.url, anchor, client.cache_dir, timeout=1, clock=clock)
    assert restarted.current().version == 5
    with pytest.raises(DownloadError, match="cannot download"):
        restarted.refresh()
    assert restarted.current().version == 5


def test_cached_copy_signed_by_an_untrusted_key_is_ignored(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    make_conf: MakeConf,
    make_signer: Callable[..., Signer],
    signer: Signer,
) -> None:
    """A cache that no longer verifies against the anchor is not used."""
    server.publish(signer.sign(make_conf()))
    client.refresh()
    other = ConfigurationAnchor("KG", [certificate_to_pem(make_signer().certificate)])
    restarted = ConfigurationClient(server.url, other, client.cache_dir, clock=clock)
    assert not restarted.is_valid()
    with pytest.raises(MissingConfigurationError, match="no valid global configuration"):
        restarted.current()


def test_http_error_is_reported_and_nothing_is_cached(client: ConfigurationClient) -> None:
    """A 404 raises DownloadError and leaves no file behind."""
    with pytest.raises(DownloadError, match="answered HTTP 404"):
        client.refresh()
    assert not (client.cache_dir / CACHE_FILE).exists()
    with pytest.raises(MissingConfigurationError):
        client.current()


def test_only_http_urls(anchor: ConfigurationAnchor, tmp_path: Path) -> None:
    """file:// and other schemes are refused up front."""
    with pytest.raises(ValueError, match="must be http or https"):
        ConfigurationClient("file:///etc/passwd", anchor, tmp_path)


def test_configuration_dated_in_the_future_is_refused(
    server: ConfigurationServer,
    client: ConfigurationClient,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (Low): a generated_at beyond the clock skew is refused and the good copy kept."""
    good = signer.sign(make_conf(version=1))
    server.publish(good)
    client.refresh()
    # Signed ahead of time, it would stay "valid" long after a revocation or a suspension.
    server.publish(signer.sign(make_conf(version=2, now=clock.now + timedelta(hours=6))))
    with pytest.raises(FutureConfigurationError, match="2025-06-02T15:30:00Z") as refused:
        client.refresh()
    assert refused.value.generated_at == clock.now + timedelta(hours=6)
    assert client.current().version == 1
    assert (client.cache_dir / CACHE_FILE).read_bytes() == good.to_bytes()


def test_small_clock_skew_is_tolerated_and_configurable(
    server: ConfigurationServer,
    anchor: ConfigurationAnchor,
    tmp_path: Path,
    clock: Clock,
    make_conf: MakeConf,
    signer: Signer,
) -> None:
    """Issue 7 (Low): up to MAX_CLOCK_SKEW ahead is accepted; a client may narrow the skew."""
    server.publish(signer.sign(make_conf(now=clock.now + MAX_CLOCK_SKEW)))
    tolerant = ConfigurationClient(server.url, anchor, tmp_path / "a", clock=clock)
    assert tolerant.refresh().version == 1
    strict = ConfigurationClient(
        server.url, anchor, tmp_path / "b", clock=clock, max_clock_skew=timedelta(seconds=30)
    )
    with pytest.raises(FutureConfigurationError, match="more than 30 seconds ahead"):
        strict.refresh()
