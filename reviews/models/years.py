import datetime

from django.db.models import Q


def in_year(field: str, year: int) -> Q:
    """``field`` (a date) falls in calendar ``year``; a range, so an index on it is used."""
    return Q(
        **{
            f"{field}__gte": datetime.date(year, 1, 1),
            f"{field}__lt": datetime.date(year + 1, 1, 1),
        }
    )
