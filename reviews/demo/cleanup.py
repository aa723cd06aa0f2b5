"""Demo data: the 2017 clean-up of the documents of 区政府 and 区政府办, confirmed.

Every document the register lists for the clean-up (see ``registers.demo.documents``) gets
its outcome; confirming the campaign on 30 November 2017 repeals 8 normative documents and
marks the 125 non-normative documents to be revised.

Idempotent: the campaign is looked up by name and its items by document; a confirmed
campaign is left as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from registers.demo.documents import CLEANUP_CONFIRMED_ON, all_rows
from registers.demo.units import office_user
from registers.demo.writes import upsert, upsert_many
from registers.models import Document, DocumentKind, Unit
from reviews.models import CleanupCampaign, CleanupItem, CleanupOutcome
from reviews.services.documents import confirm_cleanup

CAMPAIGN = {
    "name": "2017年涉及“放管服”改革及环境保护的规范性文件清理",
    "year": 2017,
    "basis": (
        "根据全省涉及“放管服”改革及环境保护的法规规章规范性文件清理工作会议精神，"
        "清理区政府及区政府办文件。"
    ),
    "started_on": CLEANUP_CONFIRMED_ON.replace(month=9, day=1),
    "ended_on": CLEANUP_CONFIRMED_ON,
}
RESULT_DOCUMENT_TITLE = "咸安区人民政府关于公布规范性文件清理结果的决定"

OUTCOMES = {
    (DocumentKind.NORMATIVE, "continue"): CleanupOutcome.CONTINUE,
    (DocumentKind.NORMATIVE, "repeal"): CleanupOutcome.REPEAL,
    (DocumentKind.NON_NORMATIVE, "in_validity"): CleanupOutcome.IN_VALIDITY,
    (DocumentKind.NON_NORMATIVE, "past_validity"): CleanupOutcome.PAST_VALIDITY,
    (DocumentKind.NON_NORMATIVE, "to_revise"): CleanupOutcome.TO_REVISE,
}


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()
    campaign, created = upsert(
        CleanupCampaign,
        {"name": CAMPAIGN["name"]},
        {
            **{key: value for key, value in CAMPAIGN.items() if key != "name"},
            "unit": units["D41"],
            "result_document": Document.objects.get(title=RESULT_DOCUMENT_TITLE),
        },
    )
    if created:
        campaign.created_by = office
        campaign.save(update_fields=["created_by"])

    if not campaign.is_confirmed:
        documents = dict(Document.objects.values_list("number", "pk"))
        rows = [
            {
                "campaign_id": campaign.pk,
                "document_id": documents[row.number],
                "outcome": OUTCOMES[row.kind, row.outcome],
            }
            for row in all_rows()
            if row.outcome
        ]
        upsert_many(campaign.items.all(), ("campaign_id", "document_id"), rows, user=office)
        confirm_cleanup(campaign, by=office, on=CLEANUP_CONFIRMED_ON)

    tally = CleanupItem.objects.filter(campaign=campaign).tally()
    command.stdout.write(
        _(
            "文件清理：%(campaign)s，共 %(total)d 份"
            "（规范性文件 %(normative)d 份，非规范性文件 %(other)d 份）"
        )
        % {
            "campaign": campaign,
            "total": tally.total,
            "normative": tally.of_kind(DocumentKind.NORMATIVE),
            "other": tally.of_kind(DocumentKind.NON_NORMATIVE),
        }
    )
