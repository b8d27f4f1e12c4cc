#!/usr/bin/env sh
# Start-up for the container: wait for the database, apply migrations (unless
# MIGRATE_ON_START=false: with several app servers, one `migrate` service does it), then run
# the command.
set -eu

wait_seconds="${DB_WAIT_SECONDS:-60}"
python - "$wait_seconds" <<'PY'
import sys
import time

import django

django.setup()
from django.db import connection
from django.db.utils import OperationalError

deadline = time.monotonic() + float(sys.argv[1])
while True:
    try:
        connection.ensure_connection()
        break
    except OperationalError as error:
        if time.monotonic() > deadline:
            sys.exit(f"The database did not answer in time: {error}")
        time.sleep(1)
PY

if [ "${MIGRATE_ON_START:-true}" != "false" ]; then
    python manage.py migrate --noinput
fi
exec "$@"
