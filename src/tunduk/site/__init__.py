"""The thin top layer over the apps: what composes several of them, and nothing else.

``api``                        the one ``NinjaAPI``, with the Registry's and Catalog's routers
``catalog_demo``               the Catalog's demo data, built on the Registry's demo
``management/commands``        ``load_demo`` and ``schedule_tasks``, which span every app

Nothing below imports this package (``[tool.importlinter]`` in pyproject.toml holds it).
"""
