from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = _("台账")

    def ready(self):
        from registers import exchange
        from registers.resources import EXCHANGE_RESOURCES

        exchange.register(*EXCHANGE_RESOURCES)
