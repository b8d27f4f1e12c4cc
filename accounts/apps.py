from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models import fields

        # Django's catalogues lack its empty choice in Dutch, Arabic and Ukrainian; ours do not.
        fields.BLANK_CHOICE_LABEL = pgettext_lazy("the empty choice of a list", "Choose one")
