"""The Tunduk gateway (each organisation's security server)."""
