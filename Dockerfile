# Production image: gunicorn behind a proxy that terminates TLS (Caddyfile); PostgreSQL from
# DATABASE_URL, Redis from REDIS_URL. The same image runs the task worker and the scheduler.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app
WORKDIR /app
# Exactly the versions and hashes of the lock file (production group only: no test or dev tools).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# Build-time settings only: the real secret comes from the environment at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-secret-build-only-not-secret ALLOWED_HOSTS=localhost \
    python manage.py compilemessages --ignore node_modules -v 0 \
    && DEBUG=false SECRET_KEY=build-only-not-secret-build-only-not-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput -v 0 \
    && chown -R app:app /app
USER app
EXPOSE 8000
ENTRYPOINT ["./docker-entrypoint.sh"]
# Workers from WEB_CONCURRENCY, logs and time-outs: config/gunicorn.py.
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]
