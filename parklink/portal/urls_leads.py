"""Portal URLs of the leads area (included by portal/urls.py)."""

urlpatterns: list = []
