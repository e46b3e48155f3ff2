"""gunicorn's settings for `make run` and for production (`gunicorn -c tracker/gunicorn.conf.py
tracker.wsgi`). The address comes from the command line (--bind HOST:PORT, as make run passes)."""

import multiprocessing
import os

# Workers from the cores (gunicorn's own rule of thumb), or WEB_CONCURRENCY where a host sets it.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A request that takes longer than this is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Workers are replaced now and then, so that nothing one process holds grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The longest request line (method, URL, version) gunicorn reads, as common proxies allow (nginx's
# and most load balancers' 8 KiB); longer is a 414. gunicorn's own default was 4,094 bytes.
# The app refuses a longer URL the same way under any other server (common/api/middleware.py).
limit_request_line = 8190
# What gunicorn refuses itself (that request line, a header too large, a malformed request) is
# answered in the API's JSON error shape, not gunicorn's HTML page.
worker_class = "tracker.gunicorn_worker.ErrorShapeSyncWorker"
accesslog = "-"
errorlog = "-"
# Only a proxy on this machine may tell gunicorn the scheme (Django reads X-Forwarded-Proto
# itself, and only with BEHIND_HTTPS_PROXY=1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket (gunicornc) defaults to one path per user: two servers on one machine
# (make run beside make loadtest or CI's check) would fight over it. Nothing here uses it.
control_socket_disable = True
