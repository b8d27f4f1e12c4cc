"""``manage.py forget_stored_uploads``: remove big uploads nobody came back to confirm.

Meant for the scheduler (the ``scheduler`` service of docker-compose.yml runs it hourly). Safe
to run on several machines at once: each run deletes what has expired, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from metrics.imports.stored import stored_uploads_forget_expired


class Command(BaseCommand):
    help = "Remove kept sales-list uploads older than STORED_UPLOAD_SECONDS."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = stored_uploads_forget_expired()
        self.stdout.write(f"Removed {removed} expired upload(s).")
