"""gunicorn's settings, from the environment: ``gunicorn -c config/gunicorn.py config.wsgi``.

Why a file: the Dockerfile, docker-compose.yml, a plain host and the cluster tests start the
app servers the same way. The worker count is the one thing to tune per machine: about two
per core, since a request mostly waits for PostgreSQL and Redis.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from config.env import env_int, env_str

bind = env_str("GUNICORN_BIND", f"0.0.0.0:{env_int('PORT', 8000)}")
workers = env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# A request that takes longer than this is stuck: its worker is replaced. No email is sent
# inside a request any more, so nothing legitimate comes near it.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# The app is imported once, before the workers fork: they start at once and share memory.
preload_app = True
# Workers are replaced now and then, so that a slow leak cannot grow for weeks.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The request log comes from the app (config/logs.py: one JSON line with the request id and
# the user id); gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
# The proxy in front sets X-Forwarded-For and X-Forwarded-Proto; trust them from its address.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
