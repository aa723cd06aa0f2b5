"""What the public disclosure pages (政务公开) share: one listing, as a page or as CSV.

A public page names its columns (a ``values`` path each, so only the fields meant for
publication leave the database), its filters and its rows; ``public_listing`` renders them
as a paginated table or, with ``?format=csv``, as a download with the same filters, codes
written as their labels (``registers.core.labels``). The rows are whatever the register's
own queryset method says is published (``approved()``, ``as_of(day)``…): no page repeats
that rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from registers.core.api.exports import field_at, streaming_export
from registers.core.labels import choice_labeller, labeller_for
from registers.core.text import whole_number
from registers.models import Unit

RESULTS_PER_PAGE = 50
#: A search longer than this is cut: no title or legal basis is searched by a whole page.
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class Column:
    path: str
    label: str
    #: ``nowrap`` for dates and numbers, ``wide`` for long text such as a legal basis.
    css: str = ""
    #: Choices of a column that is not a model field (an annotation such as a status).
    choices: tuple = ()
    #: The text of a link, for a column of addresses (the page shows a link, the CSV the
    #: address itself); a row without an address shows nothing.
    link: str = ""


@dataclass
class Choice:
    """A select box of the filter form."""

    name: str
    label: str
    options: list[tuple[str, str]]
    all_label: str
    selected: str = ""


@dataclass
class Listing:
    title: str
    intro: str
    columns: list[Column]
    rows: object  # a queryset
    filename: str
    choices: list[Choice] = field(default_factory=list)
    search_label: str = ""
    search: str = ""
    empty: str = ""
    empty_filtered: str = ""
    #: Extra context for the page's own template (a summary above the table).
    extra: dict = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        return bool(self.search or any(choice.selected for choice in self.choices))


def choice_or_empty(value: str | None, choices) -> str:
    """``value`` if it is one of ``choices`` (a TextChoices class), else no filter."""
    return value if value in choices.values else ""


def search_text(request: HttpRequest) -> str:
    return (request.GET.get("q") or "").strip()[:SEARCH_MAX_LENGTH]


def searched(rows: QuerySet, search: str, *paths: str) -> QuerySet:
    """The rows with ``search`` in any of the fields at ``paths`` (every row without one)."""
    if not search:
        return rows
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__icontains": search})
    return rows.filter(condition)


def unit_choice(units, selected: int | None, label: str) -> Choice:
    """The unit filter: the units that have something published, by kind and code."""
    return Choice(
        "unit",
        label,
        [(str(unit.pk), unit.name) for unit in units.order_by("kind", "code")],
        _("全部单位"),
        str(selected or ""),
    )


def unit_filter(request: HttpRequest, published: QuerySet, label: str) -> tuple[QuerySet, Choice]:
    """The published rows of the unit the request chose (all without one), and the unit
    filter over the units that have something published."""
    unit_id = whole_number(request.GET.get("unit"))
    rows = published.filter(unit_id=unit_id) if unit_id else published
    units = Unit.objects.filter(pk__in=published.values("unit"))
    return rows, unit_choice(units, unit_id, label)


class PageQuery:
    """What the visitor of a public page asked for: each filter and the search of the query
    string, read, applied to the rows and kept for the page's filter form.

    A page calls ``unit``, ``choice`` and ``search`` in the order its form shows them, then
    ``listing`` with the rest of what it declares."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.choices: list[Choice] = []
        self.search_label = ""
        self.search_text = ""

    def unit(self, published: QuerySet, label: str) -> QuerySet:
        """The unit filter (``unit_filter``)."""
        rows, choice = unit_filter(self.request, published, label)
        self.choices.append(choice)
        return rows

    def choice(
        self,
        rows: QuerySet,
        name: str,
        label: str,
        options,
        all_label: str,
        keep: str | Callable[[QuerySet, str], QuerySet],
        selected: str | None = None,
    ) -> QuerySet:
        """A select box over ``options`` (a ``TextChoices`` class, or value-label pairs with
        ``selected`` read by the caller); a chosen value keeps the rows whose field ``keep``
        has it, or the rows ``keep(rows, value)`` returns."""
        if selected is None:
            selected = choice_or_empty(self.request.GET.get(name), options)
            options = options.choices
        self.choices.append(Choice(name, label, options, all_label, selected))
        if not selected:
            return rows
        return keep(rows, selected) if callable(keep) else rows.filter(**{keep: selected})

    def search(self, rows: QuerySet, label: str, *paths: str) -> QuerySet:
        """The search box over the fields at ``paths`` (``searched``)."""
        self.search_label = label
        self.search_text = search_text(self.request)
        return searched(rows, self.search_text, *paths)

    def listing(self, **declared) -> Listing:
        return Listing(
            choices=self.choices,
            search_label=self.search_label,
            search=self.search_text,
            **declared,
        )


def _labellers(listing: Listing) -> list:
    model = listing.rows.model
    labellers = []
    for column in listing.columns:
        if column.choices:
            labellers.append(choice_labeller(column.choices))
        else:
            labellers.append(labeller_for(field_at(model, column.path)))
    return labellers


def _cell(value, labeller):
    if value is None:
        return ""
    if labeller is not None:
        return labeller(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def public_listing(
    request: HttpRequest, listing: Listing, template: str = "registers/public_list.html"
) -> HttpResponse:
    """The listing as a paginated page, or as CSV with ``?format=csv``."""
    paths = [column.path for column in listing.columns]
    rows = listing.rows.values_list(*paths)
    if request.GET.get("format") == "csv":
        return streaming_export(
            listing.rows,
            paths,
            [column.label for column in listing.columns],
            "csv",
            listing.filename,
            labels=True,
            choices={column.path: column.choices for column in listing.columns if column.choices},
        )
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    labellers = _labellers(listing)
    page.object_list = [
        [
            (_cell(value, labeller), column.css, column.link)
            for value, labeller, column in zip(row, labellers, listing.columns, strict=True)
        ]
        for row in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        template,
        {
            "listing": listing,
            "page": page,
            "query": query.urlencode(),
            "csv_query": csv_query.urlencode(),
            **listing.extra,
        },
    )
