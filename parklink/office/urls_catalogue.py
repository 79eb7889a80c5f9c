"""Back-office URLs of the catalogue area (included by office/urls.py)."""

urlpatterns: list = []
