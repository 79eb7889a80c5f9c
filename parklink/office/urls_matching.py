"""Back-office URLs of the matching area (included by office/urls.py)."""

urlpatterns: list = []
