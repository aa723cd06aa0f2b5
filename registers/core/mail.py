"""E-mail, always through the background worker: queued when the asking transaction commits,
sent with the settings' timeout (``EMAIL_TIMEOUT``), tried again while attempts are left
(``LAWGOV_JOBS["MAIL_ATTEMPTS"]``). A mail server that hangs delays only the e-mail."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from registers.core import jobs
from registers.core.models import Job, JobKind


def send_later(to: str, subject: str, body: str):
    """Queue one e-mail to ``to``; nothing is sent if the current transaction rolls back."""
    return jobs.start(
        JobKind.MAIL,
        _("邮件：%(subject)s → %(to)s") % {"subject": subject, "to": to},
        params={"to": to, "subject": subject, "body": body},
        max_attempts=jobs.config()["MAIL_ATTEMPTS"],
    )


def send(job: Job) -> dict:
    params = job.params
    EmailMessage(params["subject"], params["body"], None, [params["to"]]).send()
    return {"to": params["to"]}


def connect() -> None:
    jobs.register(JobKind.MAIL, send)
