"""Back-office URLs of the news area (included by office/urls.py)."""

urlpatterns: list = []
