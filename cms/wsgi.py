"""WSGI entry point, used by gunicorn (`gunicorn cms.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

application = get_wsgi_application()

from cms.startup import warm_up  # noqa: E402 - needs the settings and apps loaded above

warm_up()
