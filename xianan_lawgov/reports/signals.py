"""Signals of the annual report, for what reacts to it without the report knowing."""

from django.dispatch import Signal

#: Sent once a published version has been committed, with ``published`` (the
#: ``PublishedReport``) and ``by``; ``sender`` is ``PublishedReport``.
report_published = Signal()
