"""Reproducible, auditable "double random" draw (双随机抽查): random targets, random inspectors.

Everything here is a pure function over plain data, so a draw can be re-run and checked by
anyone, at any time, with nothing but the archived input and the seed.

Inputs
    * candidate targets and candidate inspectors, each a sequence of ``(id, key)`` pairs.
      ``id`` (int or str) is what the caller stores; ``key`` is a stable, human-checkable
      identifier (a target's credit code, an inspector's certificate number). Keys and ids
      must be unique within each list, and keys must be non-empty and must not contain
      ``|``. Eligibility filtering (expired certificates, wrong field, ...) is the caller's
      job: pass only the eligible candidates. They are all covered by the hash.
    * conflicts (回避): ``{target_id: {inspector_id, ...}}``. Entries for ids that are not
      among the candidates are ignored (the caller may pass its whole recusal table).
    * how many targets: ``count``, or ``ratio`` (a fraction in (0, 1], e.g.
      ``Decimal("0.05")`` or ``"5%"``), rounded up, at least 1.
    * ``inspectors_per_target`` (at least 2: inspections are done by two or more officers)
      and ``balance_load`` (spread assignments evenly, default on).
    * ``seed``: any non-empty string without ``|``; ``secrets.token_hex(16)`` if omitted.

Algorithm (``ALGORITHM``)
    1. Canonical JSON: ``{"algorithm", "targets", "inspectors", "conflicts", "parameters"}``
       where ``targets``/``inspectors`` are ``[key, id]`` lists sorted by key (Unicode code
       point order), ``conflicts`` is the sorted list of ``[target_key, inspector_key]``
       pairs among the candidates, and ``parameters`` holds ``count`` (resolved),
       ``ratio`` (normalised decimal string or null), ``inspectors_per_target`` and
       ``balance_load``; serialised with sorted keys, separators ``,``/``:``, no ASCII
       escaping, UTF-8. ``candidates_hash`` is its SHA-256 hex digest. Input order
       therefore never matters, and the hash can be published before the seed is drawn.
    2. ``h(*parts) = sha256("|".join(parts))`` (hex); ``draw_key = h(seed, candidates_hash)``.
    3. Targets are ranked by ``h(draw_key, target_key)`` ascending; the first ``count``
       are drawn, in that order.
    4. For each drawn target in order, the inspectors not in conflict with it are ranked by
       ``(assignments so far if balance_load else 0, h(draw_key, target_key, inspector_key))``
       and the first ``inspectors_per_target`` are assigned. Ties (practically impossible)
       are broken by key.

This uses only SHA-256, so no random number generator (whose output could change between
library versions or languages) is involved. Given the archived canonical JSON
(:func:`canonical_json`) and the seed, this is a complete independent re-run::

    import hashlib, json

    def h(*parts):
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    data = json.loads(payload)
    key = h(seed, hashlib.sha256(payload.encode()).hexdigest())
    params, load = data["parameters"], {k: 0 for k, _ in data["inspectors"]}
    conflicts = {tuple(pair) for pair in data["conflicts"]}
    drawn = sorted(data["targets"], key=lambda t: (h(key, t[0]), t[0]))[: params["count"]]
    for t_key, t_id in drawn:
        free = [i for i in data["inspectors"] if (t_key, i[0]) not in conflicts]
        balance = params["balance_load"]
        free.sort(key=lambda i: (load[i[0]] if balance else 0, h(key, t_key, i[0]), i[0]))
        chosen = free[: params["inspectors_per_target"]]
        for i in chosen:
            load[i[0]] += 1
        print(t_id, [i[1] for i in chosen])

Feasibility is checked for *every* candidate target before anything is drawn, so whether a
draw fails never depends on the seed (re-drawing "until it works" is not possible).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "ALGORITHM",
    "MIN_INSPECTORS_PER_TARGET",
    "Candidate",
    "CandidateId",
    "DrawError",
    "DrawResult",
    "canonical_json",
    "draw",
    "resolve_count",
    "verify",
]

ALGORITHM = "xianan-double-random/1"
MIN_INSPECTORS_PER_TARGET = 2
_SEP = "|"

CandidateId = int | str
Candidate = tuple[CandidateId, str]
Conflicts = Mapping[CandidateId, Iterable[CandidateId]]
Ratio = Decimal | int | float | str


class DrawError(ValidationError):
    """The draw cannot be made with the given data; the message is meant for the user."""


@dataclass(frozen=True)
class DrawResult:
    """Outcome of a draw: everything needed (with the input) to re-run and verify it."""

    seed: str
    candidates_hash: str
    #: Drawn target ids, in draw order.
    targets: list[CandidateId]
    #: Target id -> assigned inspector ids, in ranking order.
    assignments: dict[CandidateId, list[CandidateId]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (assignments as ``[target_id, [inspector_ids]]`` pairs).

        Pairs rather than an object, because JSON object keys are always strings and
        integer ids would not survive a round trip.
        """
        return {
            "algorithm": ALGORITHM,
            "seed": self.seed,
            "candidates_hash": self.candidates_hash,
            "targets": list(self.targets),
            "assignments": [[t, list(self.assignments[t])] for t in self.targets],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DrawResult:
        """Inverse of :meth:`to_dict`."""
        if data.get("algorithm") != ALGORITHM:
            raise ValueError(f"unsupported draw algorithm {data.get('algorithm')!r}")
        return cls(
            seed=data["seed"],
            candidates_hash=data["candidates_hash"],
            targets=list(data["targets"]),
            assignments={target: list(ids) for target, ids in data["assignments"]},
        )


@dataclass(frozen=True)
class _Entry:
    id: CandidateId
    key: str


@dataclass(frozen=True)
class _Plan:
    targets: list[_Entry]  # sorted by key
    inspectors: list[_Entry]  # sorted by key
    conflicts: frozenset[tuple[str, str]]  # (target_key, inspector_key)
    count: int
    inspectors_per_target: int
    balance_load: bool
    payload: str

    @property
    def candidates_hash(self) -> str:
        return hashlib.sha256(self.payload.encode("utf-8")).hexdigest()


def _h(*parts: str) -> str:
    return hashlib.sha256(_SEP.join(parts).encode("utf-8")).hexdigest()


def _role_label(role: str) -> str:
    return _("检查对象") if role == "target" else _("执法检查人员")


def _parse_ratio(ratio: Ratio) -> Decimal:
    if isinstance(ratio, bool):
        raise TypeError("ratio must be a Decimal, int, float or str, not bool")
    try:
        if isinstance(ratio, str) and ratio.strip().endswith("%"):
            value = Decimal(ratio.strip()[:-1].strip()) / 100
        elif isinstance(ratio, float):
            value = Decimal(repr(ratio))
        else:
            value = Decimal(ratio)
    except (InvalidOperation, ValueError, TypeError):
        value = Decimal("NaN")
    if not value.is_finite() or not 0 < value <= 1:
        raise DrawError(
            _("抽取比例必须大于0且不超过100%%，当前为“%(value)s”。"),
            code="invalid_ratio",
            params={"value": ratio},
        )
    return value


def _normalised_ratio(value: Decimal) -> str:
    return format(value.normalize(), "f")


def resolve_count(population: int, *, count: int | None = None, ratio: Ratio | None = None) -> int:
    """Number of targets to draw from ``population`` candidates.

    Exactly one of ``count`` and ``ratio`` must be given. A ratio is a fraction in (0, 1]
    (``Decimal("0.05")``, ``"0.05"`` or ``"5%"``); ``ceil(ratio * population)``, at least 1.
    The result is not checked against ``population`` here (:func:`draw` does that).
    """
    if (count is None) == (ratio is None):
        raise TypeError("give exactly one of count and ratio")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise DrawError(
                _("抽取数量必须是正整数，当前为“%(value)s”。"),
                code="invalid_count",
                params={"value": count},
            )
        return count
    value = _parse_ratio(ratio)  # type: ignore[arg-type]
    return max(1, int((value * population).to_integral_value(rounding=ROUND_CEILING)))


def _canonical_entries(candidates: Sequence[Candidate], role: str) -> list[_Entry]:
    entries: list[_Entry] = []
    for candidate_id, key in candidates:
        if isinstance(candidate_id, bool) or not isinstance(candidate_id, int | str):
            raise TypeError(f"{role} id must be int or str, got {candidate_id!r}")
        if not isinstance(key, str):
            raise TypeError(f"{role} key must be str, got {key!r}")
        if not key or _SEP in key:
            raise DrawError(
                _("%(role)s“%(id)s”的标识为空或含有字符“|”，无法参与抽取。"),
                code="invalid_key",
                params={"role": _role_label(role), "id": candidate_id},
            )
        entries.append(_Entry(candidate_id, key))
    entries.sort(key=lambda entry: entry.key)
    for attribute in ("key", "id"):
        seen: set[CandidateId] = set()
        for entry in entries:
            value = getattr(entry, attribute)
            if value in seen:
                if attribute == "key":
                    message = _("%(role)s名单中的标识“%(value)s”重复出现。")
                else:
                    message = _("%(role)s名单中的编号“%(value)s”重复出现。")
                raise DrawError(
                    message,
                    code="duplicate_candidate",
                    params={"role": _role_label(role), "value": value},
                )
            seen.add(value)
    return entries


def _check_unknown_id(
    candidate_id: CandidateId, known: Mapping[CandidateId, str], role: str
) -> None:
    """Catch ids of the wrong type (``"1"`` vs ``1``), which would silently skip a recusal."""
    if any(str(other) == str(candidate_id) for other in known):
        raise TypeError(
            f"conflicts use {role} id {candidate_id!r} but the candidates use "
            f"{type(next(iter(known))).__name__} ids"
        )


def _conflict_pairs(
    conflicts: Conflicts | None, targets: list[_Entry], inspectors: list[_Entry]
) -> frozenset[tuple[str, str]]:
    target_keys = {entry.id: entry.key for entry in targets}
    inspector_keys = {entry.id: entry.key for entry in inspectors}
    pairs: set[tuple[str, str]] = set()
    for target_id, inspector_ids in (conflicts or {}).items():
        if isinstance(inspector_ids, str | bytes) or not isinstance(inspector_ids, Iterable):
            raise TypeError(f"conflicts[{target_id!r}] must be a collection of inspector ids")
        if target_id not in target_keys:
            _check_unknown_id(target_id, target_keys, "target")
            continue
        for inspector_id in inspector_ids:
            if inspector_id not in inspector_keys:
                _check_unknown_id(inspector_id, inspector_keys, "inspector")
                continue
            pairs.add((target_keys[target_id], inspector_keys[inspector_id]))
    return frozenset(pairs)


def _plan(
    targets: Sequence[Candidate],
    inspectors: Sequence[Candidate],
    conflicts: Conflicts | None = None,
    *,
    count: int | None = None,
    ratio: Ratio | None = None,
    inspectors_per_target: int = MIN_INSPECTORS_PER_TARGET,
    balance_load: bool = True,
) -> _Plan:
    """The draw's input, checked and in canonical order: what :func:`canonical_json`,
    :func:`draw` and :func:`verify` take (see the module docstring), but the seed."""
    if isinstance(inspectors_per_target, bool) or not isinstance(inspectors_per_target, int):
        raise TypeError("inspectors_per_target must be an int")
    if inspectors_per_target < MIN_INSPECTORS_PER_TARGET:
        raise DrawError(
            _("每个检查对象至少需要分配%(minimum)d名执法检查人员，当前设置为%(value)d名。"),
            code="too_few_inspectors_per_target",
            params={"minimum": MIN_INSPECTORS_PER_TARGET, "value": inspectors_per_target},
        )
    target_entries = _canonical_entries(targets, "target")
    inspector_entries = _canonical_entries(inspectors, "inspector")
    resolved = resolve_count(len(target_entries), count=count, ratio=ratio)
    pairs = _conflict_pairs(conflicts, target_entries, inspector_entries)
    payload = {
        "algorithm": ALGORITHM,
        "targets": [[entry.key, entry.id] for entry in target_entries],
        "inspectors": [[entry.key, entry.id] for entry in inspector_entries],
        "conflicts": [list(pair) for pair in sorted(pairs)],
        "parameters": {
            "count": resolved,
            "ratio": None if ratio is None else _normalised_ratio(_parse_ratio(ratio)),
            "inspectors_per_target": inspectors_per_target,
            "balance_load": bool(balance_load),
        },
    }
    return _Plan(
        targets=target_entries,
        inspectors=inspector_entries,
        conflicts=pairs,
        count=resolved,
        inspectors_per_target=inspectors_per_target,
        balance_load=bool(balance_load),
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    )


def _check_feasible(plan: _Plan) -> None:
    if plan.count > len(plan.targets):
        raise DrawError(
            _("可供抽取的检查对象不足：需要抽取%(needed)d个，符合条件的只有%(available)d个。"),
            code="too_few_targets",
            params={"needed": plan.count, "available": len(plan.targets)},
        )
    for target in plan.targets:
        available = sum(
            (target.key, inspector.key) not in plan.conflicts for inspector in plan.inspectors
        )
        if available < plan.inspectors_per_target:
            raise DrawError(
                _(
                    "检查对象“%(target)s”回避后可分配的执法检查人员不足："
                    "需要%(needed)d名，只有%(available)d名。"
                ),
                code="too_few_inspectors",
                params={
                    "target": target.key,
                    "target_id": target.id,
                    "needed": plan.inspectors_per_target,
                    "available": available,
                },
            )


def canonical_json(*candidates, **parameters) -> str:
    """The exact text whose SHA-256 is ``candidates_hash``; archive it with the result.

    Takes the arguments of :func:`draw` but the seed."""
    return _plan(*candidates, **parameters).payload


def _check_seed(seed: object) -> str:
    if not isinstance(seed, str) or not seed or _SEP in seed:
        raise DrawError(_("随机种子不能为空，也不能含有字符“|”。"), code="invalid_seed")
    return seed


def draw(*candidates, seed: str | None = None, **parameters) -> DrawResult:
    """Draw targets and assign inspectors; see the module docstring for the input and the
    algorithm. ``candidates`` and ``parameters`` are those of ``_plan``: ``targets``,
    ``inspectors``, ``conflicts``; ``count`` or ``ratio``, ``inspectors_per_target`` (at
    least ``MIN_INSPECTORS_PER_TARGET``, the default) and ``balance_load`` (default on).

    Raises DrawError (codes ``too_few_inspectors_per_target``, ``invalid_count``,
    ``invalid_ratio``, ``invalid_key``, ``duplicate_candidate``, ``invalid_seed``,
    ``too_few_targets``, ``too_few_inspectors``) for data the user has to fix, and
    TypeError for misuse (both or neither of count/ratio, ids of the wrong type).
    """
    plan = _plan(*candidates, **parameters)
    seed = _check_seed(secrets.token_hex(16) if seed is None else seed)
    _check_feasible(plan)

    candidates_hash = plan.candidates_hash
    draw_key = _h(seed, candidates_hash)
    drawn = sorted(plan.targets, key=lambda entry: (_h(draw_key, entry.key), entry.key))
    drawn = drawn[: plan.count]

    load = {inspector.key: 0 for inspector in plan.inspectors}
    assignments: dict[CandidateId, list[CandidateId]] = {}
    for target in drawn:
        free = [i for i in plan.inspectors if (target.key, i.key) not in plan.conflicts]
        free.sort(
            key=lambda i: (
                load[i.key] if plan.balance_load else 0,
                _h(draw_key, target.key, i.key),
                i.key,
            )
        )
        chosen = free[: plan.inspectors_per_target]
        for inspector in chosen:
            load[inspector.key] += 1
        assignments[target.id] = [inspector.id for inspector in chosen]

    return DrawResult(
        seed=seed,
        candidates_hash=candidates_hash,
        targets=[target.id for target in drawn],
        assignments=assignments,
    )


def verify(stored: DrawResult, *candidates, **parameters) -> bool:
    """Re-run the draw with ``stored.seed`` and compare hash, targets and assignments.

    The candidate lists, conflicts and parameters must be the ones the draw was made with;
    any change to them changes the hash, and any change to the stored selection (targets,
    their order, or assigned inspectors) is detected. Returns False rather than raising
    when the stored seed or the data cannot produce a draw at all.
    """
    if not isinstance(stored.seed, str) or not stored.seed:
        return False
    try:
        fresh = draw(*candidates, seed=stored.seed, **parameters)
    except DrawError:
        return False
    return (
        fresh.candidates_hash == stored.candidates_hash
        and fresh.targets == list(stored.targets)
        and fresh.assignments == {t: list(ids) for t, ids in dict(stored.assignments).items()}
    )
