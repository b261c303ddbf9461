"""Tunduk: the Registry of the state e-government infrastructure and the interagency exchange."""
