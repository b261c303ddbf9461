"""URLs of the staff pages."""

urlpatterns: list = []
