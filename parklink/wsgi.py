"""WSGI entry point (gunicorn parklink.wsgi --preload)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
application = get_wsgi_application()

# Segmenter, catalogue words and OpenCC loaded at start rather than in the first search
# (~2 s otherwise); in the background, and finished before a --preload fork.
from parklink.search.selectors import warm_up_in_background  # noqa: E402

warm_up_in_background()
