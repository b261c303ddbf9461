"""The development RFC 3161 TSA: real tokens, rejections, HTTP, standalone server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from tunduk.journal.timestamp import request_timestamp, verify_timestamp
from tunduk.trust import CertificateAuthority, KeyType, TimeStampAuthority, serve_tsa
from tunduk.trust.tsa import (
    DEFAULT_POLICY,
    TIMESTAMP_QUERY,
    TIMESTAMP_REPLY,
    TimeStampResp,
    build_request,
)

DATA = b"checkpoint: tunduk.example/log\n42\nAAAA\n"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def authority() -> TimeStampAuthority:
    return TimeStampAuthority.create()


@pytest.fixture
def served(authority):
    server, url = serve_tsa(authority)
    yield url
    server.shutdown()
    server.server_close()


def openssl_verify(tmp_path: Path, reply: bytes, data: bytes, root_pem: bytes) -> str:
    """Run ``openssl ts -verify`` and return its output (fails the test if missing)."""
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is required to cross-check tokens"
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "reply.tsr").write_bytes(reply)
    (tmp_path / "root.pem").write_bytes(root_pem)
    result = subprocess.run(
        [openssl, "ts", "-verify", "-data", "data", "-in", "reply.tsr", "-CAfile", "root.pem"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def status_of(reply: bytes) -> tsp.PKIStatusInfo:
    return TimeStampResp.load(reply)["status"]


@pytest.mark.parametrize(
    ("key_type", "hash_name"),
    [(KeyType.EC_P256, "sha256"), (KeyType.EC_P384, "sha384"), (KeyType.RSA_3072, "sha512")],
)
def test_token_verifies_with_openssl_and_verify_timestamp(tmp_path, key_type, hash_name):
    """A token from the TSA passes `openssl ts -verify` and verify_timestamp alike."""
    authority = TimeStampAuthority.create(key_type=key_type)
    reply = authority.timestamp(DATA, hash_name=hash_name, nonce=7)

    output = openssl_verify(tmp_path, reply, DATA, authority.root_pem)

    assert "Verification: OK" in output, output
    gen_time = verify_timestamp(reply, DATA, roots=[authority.root_pem], nonce=7)
    assert gen_time.tzinfo is not None


def test_openssl_rejects_token_for_other_data(tmp_path, authority):
    """openssl refuses the TSA's token for bytes other than the time-stamped ones."""
    reply = authority.timestamp(DATA)

    output = openssl_verify(tmp_path, reply, DATA + b"!", authority.root_pem)

    assert "Verification: FAILED" in output


def test_token_echoes_request_fields(authority):
    """The TSTInfo echoes nonce and imprint and uses the TSA's policy and certificate."""
    reply = authority.timestamp(DATA, nonce=123456789)

    response = tsp.TimeStampResp.load(reply)
    signed_data = response["time_stamp_token"]["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    assert response["status"]["status"].native == "granted"
    assert info["nonce"].native == 123456789
    assert info["policy"].native == DEFAULT_POLICY
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    attributes = {a["type"].native for a in signed_data["signer_infos"][0]["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_certificate_v2"} <= attributes
    assert len(signed_data["certificates"]) == 1


def test_token_omits_certificate_unless_requested(authority):
    """Without certReq the token carries no certificates."""
    reply = authority.respond(build_request(DATA, cert_req=False))

    signed_data = cms.ContentInfo.load(tsp.TimeStampResp.load(reply)["time_stamp_token"].dump())[
        "content"
    ]
    assert not signed_data["certificates"]


def test_unknown_hash_algorithm_is_rejected_with_bad_alg(authority):
    """A request hashed with MD5 gets status rejection and failInfo badAlg."""
    reply = authority.respond(build_request(DATA, hash_name="md5"))

    status = status_of(reply)
    assert status["status"].native == "rejection"
    assert status["fail_info"].native == {"bad_alg"}
    assert "md5" in status["status_string"].native[0]


def test_garbage_request_is_rejected_with_bad_data_format(authority):
    """Bytes that are not a TimeStampReq get a rejection, not an exception."""
    status = status_of(authority.respond(b"\x30\x03\x02\x01"))

    assert status["status"].native == "rejection"
    assert status["fail_info"].native == {"bad_data_format"}


def test_digest_of_wrong_length_is_a_bad_request(authority):
    """A SHA-256 imprint of the wrong length is rejected."""
    request = tsp.TimeStampReq.load(build_request(DATA))
    request["message_imprint"]["hashed_message"] = b"\x00" * 20

    status = status_of(authority.respond(request.dump(force=True)))

    assert status["fail_info"].native == {"bad_data_format"}


def test_foreign_policy_is_rejected(authority):
    """A request for a policy the TSA does not issue under gets unacceptedPolicy."""
    request = tsp.TimeStampReq.load(build_request(DATA))
    request["req_policy"] = "1.2.3.4"

    status = status_of(authority.respond(request.dump(force=True)))

    assert status["fail_info"].native == {"unaccepted_policy"}


def test_tsa_certificate_profile(authority):
    """The TSA certificate has a critical timeStamping EKU and digitalSignature usage."""
    certificate = authority.certificate

    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert eku.critical
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert usage.digital_signature
    certificate.verify_directly_issued_by(authority.root_certificate)


def test_two_tsas_can_share_one_ca():
    """A TSA created under an existing CA chains to that CA's root."""
    ca = CertificateAuthority.create()

    authority = TimeStampAuthority.create(ca=ca, name="Second TSA")

    assert authority.root_pem == ca.certificate_pem
    verify_timestamp(authority.timestamp(DATA), DATA, roots=[ca.certificate_pem])


def test_state_dir_keeps_the_same_keys(tmp_path):
    """A TSA loaded from its state directory reuses its certificate and private key."""
    first = TimeStampAuthority.load_or_create(tmp_path)
    second = TimeStampAuthority.load_or_create(tmp_path)

    assert first.certificate == second.certificate
    assert (tmp_path / "tsa-key.pem").stat().st_mode & 0o077 == 0
    verify_timestamp(second.timestamp(DATA), DATA, roots=[(tmp_path / "root.pem").read_bytes()])


def test_http_post_answers_timestamp_reply(served, authority):
    """POSTing a query over HTTP returns a granted application/timestamp-reply."""
    request = urllib.request.Request(
        served, data=build_request(DATA), headers={"Content-Type": TIMESTAMP_QUERY}
    )

    with urllib.request.urlopen(request, timeout=5) as reply:
        assert reply.headers.get_content_type() == TIMESTAMP_REPLY
        body = reply.read()
    assert status_of(body)["status"].native == "granted"


def test_http_rejects_other_content_types(served):
    """A POST with another content type gets 415 Unsupported Media Type."""
    request = urllib.request.Request(
        served, data=build_request(DATA), headers={"Content-Type": "application/octet-stream"}
    )

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)
    assert raised.value.code == 415


def test_http_get_is_not_allowed(served):
    """GET is refused with 405 and an Allow: POST header."""
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(served, timeout=5)
    assert raised.value.code == 405
    assert raised.value.headers["Allow"] == "POST"


def test_standalone_server_issues_tokens_under_its_state_dir(tmp_path):
    """`python -m tunduk.trust.tsa` serves tokens that verify against DIR/root.pem."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tunduk.trust.tsa", "--port", "0", "--state-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+/", line)
        assert match, line + process.stderr.read() if process.poll() is not None else line

        token = request_timestamp(match.group(0), DATA, timeout=5)

        verify_timestamp(token, DATA, roots=[(tmp_path / "root.pem").read_bytes()])
    finally:
        process.terminate()
        process.wait(timeout=5)
