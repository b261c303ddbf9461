"""The Registry of the state e-government infrastructure (seed 000)."""
