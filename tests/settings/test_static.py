"""The site's stylesheet is found and served."""

from django.contrib.staticfiles import finders


def test_site_stylesheet_is_found():
    """Every page links tunduk/site.css; the static finders must locate it."""
    assert finders.find("tunduk/site.css")
