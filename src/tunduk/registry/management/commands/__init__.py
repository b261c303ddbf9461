"""The Registry's management commands, run as ``tunduk <command>``."""
