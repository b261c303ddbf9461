"""Management commands of the Registry."""
