"""WSGI entry point (gunicorn parklink.wsgi --preload)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
application = get_wsgi_application()

# Segmenter, catalogue words and OpenCC loaded before the first request (once, before the
# fork with --preload); the first search took ~2 s otherwise.
from parklink.search.selectors import warm_up  # noqa: E402

warm_up()
