"""Every write to the Catalog goes through these services (pages, API and tasks call them)."""
