"""Who is in one global configuration, by identifier: built once per version, read per message.

The client side asks, for every message, whether its own member and subsystem are
registered and active and where the provider's gateways are; scanning the lists of a
national configuration each time would cost a loop over every member. A
:class:`Directory` answers with dictionary lookups.
"""

from __future__ import annotations

from tunduk.globalconf import Gateway, GlobalConfiguration, Member
from tunduk.identifiers import MemberId, ServerId, SubsystemId

__all__ = ["Directory"]


class Directory:
    """Members, subsystems and gateways of one configuration, keyed by identifier."""

    def __init__(self, conf: GlobalConfiguration) -> None:
        self.conf = conf
        self.members: dict[MemberId, Member] = {}
        self.subsystems: set[SubsystemId] = set()
        self.gateways: dict[MemberId, list[Gateway]] = {}
        for member in conf.members:
            member_id = MemberId(conf.instance, member.member_class, member.member_code)
            self.members[member_id] = member
            self.subsystems.update(
                SubsystemId(member_id, subsystem.subsystem_code) for subsystem in member.subsystems
            )
        for gateway in conf.gateways:
            member_id = MemberId(conf.instance, gateway.member_class, gateway.member_code)
            self.gateways.setdefault(member_id, []).append(gateway)

    def member(self, member: MemberId) -> Member | None:
        """The member's entry, or None when it is not in this configuration."""
        return self.members.get(member)

    def gateways_of(self, member: MemberId) -> list[Gateway]:
        """The member's gateways (possibly none)."""
        return self.gateways.get(member, [])

    def address(self, server: ServerId) -> str | None:
        """Where gateway ``server`` listens for peers, or None when it is not listed."""
        for gateway in self.gateways_of(server.member):
            if gateway.server_code == server.server_code:
                return gateway.address
        return None
