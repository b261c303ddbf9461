"""The Tunduk Catalog (seeds 003, 004): participants, their systems and services, grants, gateways."""
