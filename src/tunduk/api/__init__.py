"""The REST API (django-ninja): token authentication, the same services as the web pages."""
