"""Portal URLs of the news area (included by portal/urls.py)."""

urlpatterns: list = []
