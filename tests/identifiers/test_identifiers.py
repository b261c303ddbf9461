"""X-Road identifiers: one grammar (XROAD-PROTOCOL §1.3, §2.1)."""

from __future__ import annotations

import pytest

from tunduk.identifiers import (
    IdentifierError,
    MemberId,
    check_part,
    parse_client,
    parse_group,
    parse_server,
    parse_service,
    parse_subsystem,
)


def test_every_allowed_character_is_accepted():
    """All of A–Z a–z 0–9 ' ( ) + , - . = ? may appear in a part."""
    value = "AZaz09'()+,-.=?"
    assert check_part(value) == value


@pytest.mark.parametrize("bad", ["a/b", "a b", "ä", "a_b", "a:b", "a#b", "a%b", ""])
def test_forbidden_characters_are_named(bad):
    """A part with a forbidden character (or none at all) is refused, naming the part."""
    with pytest.raises(IdentifierError) as error:
        check_part(bad, "member code")
    assert error.value.part == "member code"


def test_round_trips():
    """Each form parses back to the same text."""
    for text, parse in [
        ("KG/GOV/70000001/civil-registry/births", parse_service),
        ("KG/GOV/70000001/civil-registry", parse_subsystem),
        ("KG-test/COM/12345678/ss1", parse_server),
        ("KG/security-server-owners", parse_group),
    ]:
        assert str(parse(text)) == text


def test_client_is_member_or_subsystem():
    """X-Road-Client names a member or a subsystem."""
    assert isinstance(parse_client("KG/GOV/1"), MemberId)
    assert str(parse_client("KG/GOV/1/sys")) == "KG/GOV/1/sys"
    with pytest.raises(IdentifierError, match="3 or 4 parts"):
        parse_client("KG/GOV")


def test_rest_path_encodes_each_part():
    """REST paths percent-encode each part on its own, never the separators."""
    service = parse_service("KG/GOV/70000001/civil?registry/birth,s")
    assert service.rest_path() == "/r1/KG/GOV/70000001/civil%3Fregistry/birth%2Cs"
