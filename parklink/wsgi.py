"""WSGI entry point (gunicorn parklink.wsgi --preload)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
application = get_wsgi_application()
