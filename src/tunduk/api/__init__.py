"""The REST API (django-ninja): token authentication, the same services as the web pages.

``tunduk.site.api.api`` is the ``NinjaAPI``; ``auth`` resolves bearer tokens,
``errors`` gives every refusal one shape, ``pagination`` pages lists.
"""
