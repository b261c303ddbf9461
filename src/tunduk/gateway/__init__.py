"""The Tunduk gateway (security server): see docs/gateway.md."""
