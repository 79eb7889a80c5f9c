"""Back-office URLs of the leads area (included by office/urls.py)."""

urlpatterns: list = []
