"""URLs of the employee pages."""

urlpatterns: list = []
