"""Shared pieces every business area uses: the audit trail, error codes, base templates."""
