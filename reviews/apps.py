from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审查与案件")
    #: The order the registers are listed in (registers/core/register_order.py): as the
    #: annual report takes them up.
    index_order = [
        "legalityreview",
        "filing",
        "commentdraftreply",
        "cleanupcampaign",
        "cleanupitem",
        "decisioncatalogue",
        "majordecision",
        "governmentcontract",
        "evaluationround",
        "evaluatedfile",
        "criminaltransfer",
        "rectificationproblem",
        "reconsiderationcase",
        "correctionratedefinition",
        "litigationcase",
        "accountabilityrecord",
    ]

    def ready(self):
        from registers.core.exchange import uploads
        from reviews.resources import EXCHANGE_RESOURCES

        uploads.register(*EXCHANGE_RESOURCES)
