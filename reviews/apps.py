from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("审查与案件")
    #: The registers in the order the admin's index and the workspace list them: as the annual
    #: report takes them up (xianan_lawgov.admin_site.index_position).
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
