"""Identifiers people type (case, document, contract and filing numbers, certificate
numbers): stored in one spelling, so that ``２０２４-001`` and ``2024-001`` are one number.

``IdentifierField`` normalises on every path a value takes into the database: the model's
``full_clean`` (admin forms, API serializers, the Excel upload's checks) cleans it through
``to_python`` before any uniqueness check, and ``pre_save`` (every save, ``bulk_create``
too) stores it so even where nothing validated it.

Values stored before that are folded once by each app's data migration
(``fold_identifiers``), with each field's own normalisation (a field says it by its
``normalise`` attribute; the credit code field has its own). Where folding would make two
records of one unique key equal, neither is changed: the clash is returned, printed by the
migration and listed by ``manage.py check_identifiers`` until someone resolves it.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone

#: NFKC makes the full-width parentheses of a case number ASCII; the official spelling
#: (人民法院案件案号, 复议案号) keeps them full-width, so they are turned back.
_PARENTHESES = str.maketrans({"(": "（", ")": "）"})


def normalise_identifier(value: str | None) -> str | None:
    """``value`` folded with NFKC (full-width digits, letters and the ideographic space
    become their plain forms), parentheses in their full-width official form, trimmed."""
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).translate(_PARENTHESES).strip()


class IdentifierField(models.CharField):
    """A ``CharField`` holding an identifier, stored normalised (``normalise_identifier``)."""

    #: How a stored value is folded (read by ``fold_identifiers``).
    normalise = staticmethod(normalise_identifier)

    def to_python(self, value):
        return normalise_identifier(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_identifier(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


# --- Folding values stored before normalisation ---------------------------------------------


@dataclass(frozen=True)
class IdentifierClash:
    """Records left unfolded because folding would give them one value of a unique key."""

    model: str
    key: tuple[str, ...]
    folded: tuple
    stored: tuple[tuple[int, tuple], ...]  # (pk, the key's values as stored) per record

    def __str__(self) -> str:
        records = "；".join(f"#{pk} {'/'.join(map(str, values))}" for pk, values in self.stored)
        return f"{self.model} {'/'.join(self.key)} → {'/'.join(map(str, self.folded))}：{records}"


@dataclass
class FoldResult:
    folded: dict[str, int]  # model label → records changed
    clashes: list[IdentifierClash]


def fold_app(apps, label: str) -> FoldResult:
    """A data migration's step: fold the identifiers of app ``label`` in ``apps`` (the
    migration's registry, or the live one), and say what was left and why."""
    result = fold_identifiers(apps.get_app_config(label).get_models())
    if result.clashes:
        lines = "\n".join(f"  {clash}" for clash in result.clashes)
        sys.stdout.write(
            f"\n  {label}: {len(result.clashes)} identifier clash(es) left unfolded "
            f"(list them with `manage.py check_identifiers`):\n{lines}\n"
        )
    return result


def _normalisers(model) -> dict[str, Callable]:
    return {
        field.attname: field.normalise
        for field in model._meta.concrete_fields
        if callable(getattr(field, "normalise", None))
    }


def _unique_keys(model) -> list[tuple[tuple[str, ...], object]]:
    """(field attnames, condition or None) of each unique key of ``model``."""
    keys = [((field.attname,), None) for field in model._meta.concrete_fields if field.unique]
    keys += [
        (tuple(model._meta.get_field(name).attname for name in names), None)
        for names in model._meta.unique_together
    ]
    keys += [
        (tuple(model._meta.get_field(name).attname for name in c.fields), c.condition)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    return keys


def fold_identifiers(models_: Iterable, *, write: bool = True) -> FoldResult:
    """Fold every stored identifier of ``models_`` (live or a migration's historical models)
    with its field's ``normalise``; records whose folding would clash on a unique key are
    left as they are and returned. With ``write=False`` nothing is changed."""
    result = FoldResult({}, [])
    for model in models_:
        normalisers = _normalisers(model)
        if not normalisers or model._meta.proxy or _is_history(model):
            continue
        changed, clashes = _plan(model, normalisers)
        result.clashes += clashes
        if write:
            done = _write(model, changed, result.clashes)
            if done:
                result.folded[model._meta.label] = done
        elif changed:
            result.folded[model._meta.label] = len(changed)
    return result


def _is_history(model) -> bool:
    # simple_history's tables keep what was stored when; they are history, not rewritten.
    return any(field.name == "history_id" for field in model._meta.concrete_fields)


def _plan(model, normalisers: dict[str, Callable]) -> tuple[dict, list[IdentifierClash]]:
    manager = model._base_manager
    keys = [key for key in _unique_keys(model) if set(key[0]) & set(normalisers)]
    names = sorted(set(normalisers).union(*(key for key, _ in keys)))
    stored = {
        row[0]: dict(zip(names, row[1:], strict=True))
        for row in (manager.order_by("pk").values_list("pk", *names).iterator())
    }
    changed = {}
    for pk, values in stored.items():
        folded = {
            name: normalise(values[name])
            for name, normalise in normalisers.items()
            if values[name] is not None
        }
        changes = {name: value for name, value in folded.items() if value != values[name]}
        if changes:
            changed[pk] = changes
    clashes: list[IdentifierClash] = []
    # Until nothing clashes: a record left unfolded keeps its stored key, which may meet
    # another's folded one.
    while True:
        clash = _first_clash(model, keys, stored, changed)
        if clash is None:
            return changed, clashes
        clashes.append(clash)
        for pk, _values in clash.stored:
            changed.pop(pk, None)


def _first_clash(model, keys, stored, changed) -> IdentifierClash | None:
    for fields, condition in keys:
        groups = defaultdict(list)
        for pk, values in stored.items():
            final = {**values, **changed.get(pk, {})}
            key = tuple(final[name] for name in fields)
            if None not in key:
                groups[key].append(pk)
        for key, pks in groups.items():
            if len(pks) < 2 or not any(pk in changed for pk in pks):
                continue
            if condition is not None:
                # A conditional key (a contract number unless blank) binds only the records
                # its condition holds for once folded.
                pks = [pk for pk in pks if _bound(model, condition, pk, changed.get(pk, {}))]
            if len(pks) > 1 and any(pk in changed for pk in pks):
                return IdentifierClash(
                    model._meta.label,
                    fields,
                    key,
                    tuple((pk, tuple(stored[pk][name] for name in fields)) for pk in pks),
                )
    return None


def _bound(model, condition, pk, changes: dict) -> bool:
    """Whether ``condition`` holds for record ``pk`` with ``changes`` applied (asked of the
    database, as the constraint's own validation does)."""
    fields = model._meta.concrete_fields
    row = {**model._base_manager.values(*(f.attname for f in fields)).get(pk=pk), **changes}
    against = {f.name: row[f.attname] for f in fields} | row
    return condition.check(against)


def _write(model, changed: dict, clashes: list[IdentifierClash]) -> int:
    """Save each record's folded values (and touch ``updated_at`` so syncing clients fetch
    them); a record the database still refuses is left as it was and reported."""
    touch = {"updated_at": timezone.now()} if _has_field(model, "updated_at") else {}
    done = 0
    for pk, changes in changed.items():
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**changes, **touch)
        except IntegrityError:
            names = tuple(changes)
            clashes.append(
                IdentifierClash(model._meta.label, names, tuple(changes.values()), ((pk, ()),))
            )
        else:
            done += 1
    return done


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)
