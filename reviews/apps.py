from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审查与案件")

    def ready(self):
        from registers.core.exchange import uploads
        from reviews.resources import EXCHANGE_RESOURCES

        uploads.register(*EXCHANGE_RESOURCES)
