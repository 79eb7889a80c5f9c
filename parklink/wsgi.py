"""WSGI entry point (gunicorn parklink.wsgi --preload)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
application = get_wsgi_application()

# Segmenter, catalogue words and OpenCC loaded at start rather than in the first search
# (~2 s otherwise); in the background, and finished before a --preload fork. Then every
# object alive (Django, the dictionaries: ~380,000 objects) is moved out of the garbage
# collector's generations (gc.freeze): a full collection walked them all (133 ms measured
# in a warmed-up process, every thread of the worker held up meanwhile). Under --preload
# this runs before the fork, so the workers also keep sharing those pages (copy-on-write).
from parklink.search.selectors import warm_up_in_background  # noqa: E402

warm_up_in_background(after=gc.freeze)
