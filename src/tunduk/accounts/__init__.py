"""Users, their roles, and invitations that grant online access (000 §19)."""
