import os

from django.core.wsgi import get_wsgi_application

# Chunked request bodies are read (or refused) before Django sees the request (common/chunked.py).
from common.chunked import ChunkedBodyMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = ChunkedBodyMiddleware(get_wsgi_application())
