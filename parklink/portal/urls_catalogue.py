"""Portal URLs of the catalogue area (included by portal/urls.py)."""

urlpatterns: list = []
