"""The Tunduk gateway: each organisation's X-Road REST compatible security server."""
