"""A person's own data, exported and erased across apps that accounts does not know.

Apps that keep rows about a user register a holder at start-up (in ``AppConfig.ready``); the
account pages then export and erase through this one place, so accounts imports no other app.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable
from typing import Any, Protocol

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import translation

from accounts.models import User

README = "README.txt"


class DataHolder(Protocol):
    """What an app that keeps a user's rows gives the account pages."""

    def export_files(self, user: User) -> dict[str, str]:
        """The app's files for the export (path in the zip → text), in the active language."""
        ...

    def erase(self, user: User) -> Counter[str]:
        """Delete the app's rows about ``user`` inside the account's transaction; count them."""
        ...


_holders: list[DataHolder] = []


def register(holder: DataHolder) -> None:
    """Add an app's holder once; registering the same one again changes nothing."""
    if holder not in _holders:
        _holders.append(holder)


def json_text(data: object) -> str:
    """JSON with ISO dates and times and decimals as strings, so no value loses a digit."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def fields_of(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """Some of a row's fields by name, for an export."""
    return {name: getattr(obj, name) for name in names}


def _profile(user: User) -> dict[str, Any]:
    return fields_of(
        user,
        ["email", "name", "language", "country", "region", "reminders", "date_joined"],
    ) | {"last_login": user.last_login}


def export_files(user: User) -> dict[str, str]:
    """Every file of the user's export by its path in the zip, the README first."""
    with translation.override(user.language):
        files = {"profile.json": json_text(_profile(user))}
        for holder in _holders:
            files |= holder.export_files(user)
    readme = {README: files.pop(README)} if README in files else {}
    return readme | files


def export_zip(user: User) -> bytes:
    """The user's export as the bytes of one zip file, built in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in export_files(user).items():
            archive.writestr(path, text)
    return buffer.getvalue()


def user_session_keys(user: User) -> list[str]:
    """The stored sessions logged in as ``user``.

    Session data is signed, not searchable, so every stored session is decoded: fine for the
    thousands of sessions of this product, to revisit (store the keys per user) for millions.
    """
    user_id = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]


def _axes_records(user: User) -> list[QuerySet[Any]]:
    """Log-in records, failed and successful: django-axes keeps them by the address typed."""
    return [
        model.objects.filter(username__iexact=user.email)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    ]


def account_delete(*, user: User) -> dict[str, int]:
    """Erase the user and every row that belongs to them, all or nothing.

    Returns how many rows went, by model label.
    """
    deleted: Counter[str] = Counter()
    with transaction.atomic():
        for holder in _holders:
            deleted.update(holder.erase(user))
        own_rows = [
            LogEntry.objects.filter(
                Q(user=user)
                | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
            ),
            Session.objects.filter(session_key__in=user_session_keys(user)),
            *_axes_records(user),
        ]
        for rows in own_rows:
            deleted.update(rows.delete()[1])
        deleted.update(user.delete()[1])
    return {label: number for label, number in deleted.items() if number}
