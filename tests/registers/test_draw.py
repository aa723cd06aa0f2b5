import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

import registers.draw
from registers.creditcode import make_credit_code
from registers.draw import (
    ALGORITHM,
    DrawError,
    DrawResult,
    canonical_json,
    draw,
    resolve_count,
    verify,
)

# Stand-alone runs (without pytest-django) still need settings for gettext.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)

SEED = "0123456789abcdef0123456789abcdef"

# 30 targets keyed by valid credit codes registered in 咸安区 (421202), 8 inspectors keyed by
# law-enforcement certificate numbers.
TARGETS = [(100 + n, make_credit_code(f"91421202MA4F{n:04d}1")) for n in range(30)]
INSPECTORS = [(n, f"42120220{n:05d}") for n in range(1, 9)]
CONFLICTS = {100: {1, 2}, 105: {3}}


def _draw(**overrides):
    arguments = {
        "targets": TARGETS,
        "inspectors": INSPECTORS,
        "conflicts": CONFLICTS,
        "count": 5,
        "seed": SEED,
    }
    arguments.update(overrides)
    return draw(**arguments)


def test_same_input_and_seed_give_identical_result():
    first = _draw()
    assert first == _draw()
    assert first.seed == SEED
    assert len(first.targets) == 5
    assert len(set(first.targets)) == 5
    assert set(first.targets) <= {target_id for target_id, _ in TARGETS}
    assert list(first.assignments) == first.targets
    for inspector_ids in first.assignments.values():
        assert len(inspector_ids) == 2
        assert len(set(inspector_ids)) == 2


def test_result_is_pinned():
    # A stored draw must stay verifiable: if this fails, the algorithm or the canonical JSON
    # changed, and ALGORITHM must get a new version instead.
    assert _draw(count=3) == DrawResult(
        seed=SEED,
        candidates_hash="5baac98789c85632f7a6aab1d800312ec663c629d2c1fbf89d7018029ac92fc7",
        targets=[112, 113, 114],
        assignments={112: [5, 8], 113: [4, 6], 114: [1, 2]},
    )
    payload = canonical_json(TARGETS, INSPECTORS, CONFLICTS, count=3)
    assert payload.startswith('{"algorithm":"xianan-double-random/1","conflicts":[["9142120')


def test_different_seed_gives_different_result():
    first = _draw()
    second = _draw(seed="another seed")
    assert first.candidates_hash == second.candidates_hash
    assert (first.targets, first.assignments) != (second.targets, second.assignments)


def test_seed_is_generated_when_absent():
    first = _draw(seed=None)
    second = _draw(seed=None)
    assert len(first.seed) == 32
    assert first.seed != second.seed
    assert verify(first, TARGETS, INSPECTORS, CONFLICTS, count=5)


def test_input_order_does_not_matter():
    shuffled_conflicts = {105: [3], 100: [2, 1]}
    reordered = _draw(
        targets=list(reversed(TARGETS)),
        inspectors=INSPECTORS[3:] + INSPECTORS[:3],
        conflicts=shuffled_conflicts,
    )
    assert reordered == _draw()


def test_irrelevant_conflicts_do_not_change_the_hash():
    # Conflicts naming candidates filtered out by the caller are ignored.
    assert _draw(conflicts={**CONFLICTS, 999: {1}, 101: {77}}) == _draw()


def test_recusal_is_respected():
    conflicts = {target_id: {1, 2, 3, 4, 5, 6} for target_id, _ in TARGETS}
    for n in range(20):
        result = _draw(conflicts=conflicts, count=30, seed=f"seed-{n}")
        for inspector_ids in result.assignments.values():
            assert set(inspector_ids) == {7, 8}

    for n in range(50):
        result = _draw(count=30, seed=f"seed-{n}")
        for target_id, inspector_ids in result.assignments.items():
            assert not set(inspector_ids) & CONFLICTS.get(target_id, set())


def test_load_is_balanced_by_default():
    result = _draw(count=12)
    load = Counter(i for ids in result.assignments.values() for i in ids)
    assert set(load.values()) == {3}  # 12 targets x 2 inspectors / 8 inspectors


def test_unbalanced_draw_is_a_different_recorded_parameter():
    balanced = _draw(count=12)
    unbalanced = _draw(count=12, balance_load=False)
    assert balanced.candidates_hash != unbalanced.candidates_hash
    assert verify(unbalanced, TARGETS, INSPECTORS, CONFLICTS, count=12, balance_load=False)
    assert not verify(unbalanced, TARGETS, INSPECTORS, CONFLICTS, count=12)


def test_too_few_targets():
    with pytest.raises(DrawError) as excinfo:
        _draw(count=31)
    assert excinfo.value.code == "too_few_targets"
    assert excinfo.value.params == {"needed": 31, "available": 30}
    assert "需要抽取31个" in excinfo.value.messages[0]
    assert "只有30个" in excinfo.value.messages[0]


def test_ratio_of_empty_pool_still_needs_one_target():
    with pytest.raises(DrawError) as excinfo:
        _draw(targets=[], count=None, ratio=Decimal("0.05"))
    assert excinfo.value.code == "too_few_targets"


def test_too_few_inspectors_names_the_target_regardless_of_seed():
    conflicts = {107: {1, 2, 3, 4, 5, 6, 7}}
    target_key = dict(TARGETS)[107]
    for seed in ("a", "b", "c"):
        # Target 107 is checked even when it would not be drawn: failure is seed-independent.
        with pytest.raises(DrawError) as excinfo:
            _draw(conflicts=conflicts, count=1, seed=seed)
        error = excinfo.value
        assert error.code == "too_few_inspectors"
        assert error.params["target"] == target_key
        assert error.params["target_id"] == 107
        assert (error.params["needed"], error.params["available"]) == (2, 1)
        assert f"检查对象“{target_key}”" in error.messages[0]
        assert "需要2名，只有1名" in error.messages[0]


def test_too_few_inspectors_overall():
    with pytest.raises(DrawError) as excinfo:
        _draw(inspectors=INSPECTORS[:2], inspectors_per_target=3, conflicts={})
    assert excinfo.value.code == "too_few_inspectors"
    assert excinfo.value.params["available"] == 2


@pytest.mark.parametrize("per_target", [1, 0, -1])
def test_at_least_two_inspectors_per_target(per_target):
    with pytest.raises(DrawError) as excinfo:
        _draw(inspectors_per_target=per_target)
    assert excinfo.value.code == "too_few_inspectors_per_target"
    assert "至少需要分配2名" in excinfo.value.messages[0]


def test_three_inspectors_per_target():
    result = _draw(inspectors_per_target=3)
    assert all(len(ids) == 3 for ids in result.assignments.values())


@pytest.mark.parametrize(
    ("population", "ratio", "expected"),
    [
        (30, Decimal("0.05"), 2),  # 1.5 rounds up
        (30, "5%", 2),
        (30, "0.05", 2),
        (30, 0.05, 2),
        (20, Decimal("0.05"), 1),  # exactly 1
        (10, Decimal("0.01"), 1),  # 0.1 rounds up to the minimum of 1
        (0, Decimal("0.05"), 1),
        (30, 1, 30),
        (30, "100%", 30),
        (7, Decimal("1") / 3, 3),
    ],
)
def test_ratio_rounding(population, ratio, expected):
    assert resolve_count(population, ratio=ratio) == expected


def test_ratio_draw_uses_rounded_count():
    result = _draw(count=None, ratio=Decimal("0.05"))
    assert len(result.targets) == 2
    assert verify(result, TARGETS, INSPECTORS, CONFLICTS, ratio="5%")


@pytest.mark.parametrize("ratio", [0, "0%", Decimal("1.01"), "150%", "abc", "-0.1", "NaN"])
def test_invalid_ratio(ratio):
    with pytest.raises(DrawError) as excinfo:
        resolve_count(30, ratio=ratio)
    assert excinfo.value.code == "invalid_ratio"
    assert "100%，" in excinfo.value.messages[0]


@pytest.mark.parametrize("count", [0, -3, True, 2.0])
def test_invalid_count(count):
    with pytest.raises(DrawError) as excinfo:
        resolve_count(30, count=count)
    assert excinfo.value.code == "invalid_count"


def test_count_and_ratio_are_exclusive():
    with pytest.raises(TypeError):
        resolve_count(30)
    with pytest.raises(TypeError):
        resolve_count(30, count=2, ratio="5%")


def test_duplicate_candidates_are_rejected():
    for targets in (TARGETS + [(999, TARGETS[0][1])], TARGETS + [(100, "other-key")]):
        with pytest.raises(DrawError) as excinfo:
            _draw(targets=targets)
        assert excinfo.value.code == "duplicate_candidate"
        assert "检查对象名单中" in excinfo.value.messages[0]


@pytest.mark.parametrize("key", ["", "a|b"])
def test_invalid_keys_are_rejected(key):
    with pytest.raises(DrawError) as excinfo:
        _draw(inspectors=INSPECTORS + [(99, key)])
    assert excinfo.value.code == "invalid_key"


@pytest.mark.parametrize("seed", ["", "a|b"])
def test_invalid_seed_is_rejected(seed):
    with pytest.raises(DrawError) as excinfo:
        _draw(seed=seed)
    assert excinfo.value.code == "invalid_seed"


def test_conflict_ids_of_the_wrong_type_are_not_silently_ignored():
    with pytest.raises(TypeError):
        _draw(conflicts={"100": {1}})
    with pytest.raises(TypeError):
        _draw(conflicts={100: {"1"}})
    with pytest.raises(TypeError):
        _draw(conflicts={100: 1})


def test_verify_accepts_the_genuine_result():
    result = _draw()
    assert verify(result, list(reversed(TARGETS)), INSPECTORS, CONFLICTS, count=5)


def test_verify_detects_a_tampered_candidate_list():
    result = _draw()
    removed = [t for t in TARGETS if t[0] not in result.targets][1:]
    removed += [t for t in TARGETS if t[0] in result.targets]
    assert not verify(result, removed, INSPECTORS, CONFLICTS, count=5)
    renamed = [(100, make_credit_code("91421202MA4F99991"))] + TARGETS[1:]
    assert not verify(result, renamed, INSPECTORS, CONFLICTS, count=5)
    assert not verify(result, TARGETS, INSPECTORS[:-1], CONFLICTS, count=5)
    assert not verify(result, TARGETS, INSPECTORS, {}, count=5)
    assert not verify(result, TARGETS, INSPECTORS, CONFLICTS, count=6)


def test_verify_detects_a_tampered_hash():
    result = _draw()
    assert not verify(
        replace(result, candidates_hash="0" * 64), TARGETS, INSPECTORS, CONFLICTS, count=5
    )


def test_verify_detects_a_tampered_selection():
    result = _draw()
    outsider = next(t for t, _ in TARGETS if t not in result.targets)
    swapped_target = [outsider, *result.targets[1:]]
    assignments = dict(result.assignments)
    assignments[outsider] = assignments.pop(result.targets[0])
    tampered_targets = replace(result, targets=swapped_target, assignments=assignments)
    assert not verify(tampered_targets, TARGETS, INSPECTORS, CONFLICTS, count=5)

    reordered = replace(result, targets=list(reversed(result.targets)))
    assert not verify(reordered, TARGETS, INSPECTORS, CONFLICTS, count=5)

    first = result.targets[0]
    unused = next(i for i, _ in INSPECTORS if i not in result.assignments[first])
    tampered_inspectors = replace(
        result, assignments={**result.assignments, first: [unused, result.assignments[first][1]]}
    )
    assert not verify(tampered_inspectors, TARGETS, INSPECTORS, CONFLICTS, count=5)

    other_seed = replace(result, seed="forged")
    assert not verify(other_seed, TARGETS, INSPECTORS, CONFLICTS, count=5)
    assert not verify(replace(result, seed=""), TARGETS, INSPECTORS, CONFLICTS, count=5)
    assert not verify(replace(result, seed="a|b"), TARGETS, INSPECTORS, CONFLICTS, count=5)


def test_result_round_trips_through_json():
    result = _draw()
    stored = json.loads(json.dumps(result.to_dict()))
    assert stored["algorithm"] == ALGORITHM
    restored = DrawResult.from_dict(stored)
    assert restored == result
    assert verify(restored, TARGETS, INSPECTORS, CONFLICTS, count=5)
    with pytest.raises(ValueError):
        DrawResult.from_dict({**stored, "algorithm": "other"})


def test_string_ids_are_supported():
    targets = [(f"t{n}", key) for n, (_, key) in enumerate(TARGETS)]
    inspectors = [(f"i{n}", key) for n, key in INSPECTORS]
    result = draw(targets, inspectors, {"t0": {"i1"}}, count=30, seed=SEED)
    assert "i1" not in result.assignments["t0"]
    assert verify(result, targets, inspectors, {"t0": ["i1"]}, count=30)


def _reference_draw(payload: str, seed: str) -> DrawResult:
    """The stand-alone re-run from the module docstring, kept independent of the module."""

    def h(*parts):
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    data = json.loads(payload)
    candidates_hash = hashlib.sha256(payload.encode()).hexdigest()
    key = h(seed, candidates_hash)
    params, load = data["parameters"], {k: 0 for k, _ in data["inspectors"]}
    conflicts = {tuple(pair) for pair in data["conflicts"]}
    targets, assignments = [], {}
    drawn = sorted(data["targets"], key=lambda t: (h(key, t[0]), t[0]))[: params["count"]]
    for t_key, t_id in drawn:
        free = [i for i in data["inspectors"] if (t_key, i[0]) not in conflicts]
        free.sort(
            key=lambda i: (load[i[0]] if params["balance_load"] else 0, h(key, t_key, i[0]), i[0])
        )
        chosen = free[: params["inspectors_per_target"]]
        for i in chosen:
            load[i[0]] += 1
        targets.append(t_id)
        assignments[t_id] = [i[1] for i in chosen]
    return DrawResult(seed, candidates_hash, targets, assignments)


@pytest.mark.parametrize("balance_load", [True, False])
@pytest.mark.parametrize("seed", ["x", SEED, "人工摇号 2025-03-01"])
def test_documented_reference_implementation_agrees(seed, balance_load):
    arguments = {"count": 9, "balance_load": balance_load}
    payload = canonical_json(TARGETS, INSPECTORS, CONFLICTS, **arguments)
    assert _reference_draw(payload, seed) == _draw(seed=seed, **arguments)


def test_snippet_in_module_docstring_runs_and_agrees():
    doc = registers.draw.__doc__
    snippet = textwrap.dedent(
        doc[doc.index("re-run::") + len("re-run::") : doc.index("Feasibility")]
    )
    payload = canonical_json(TARGETS, INSPECTORS, CONFLICTS, count=9)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(snippet, {"payload": payload, "seed": SEED})
    result = _draw(count=9)
    expected = "".join(f"{t} {result.assignments[t]}\n" for t in result.targets)
    assert output.getvalue() == expected


def _run_without_settings(code: str) -> None:
    """Run ``code`` in a fresh interpreter with no Django settings at all."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    check = "import sys; assert not any(m.startswith('django.db') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", f"{code}\n{check}"], cwd=root, env=env, check=True)


def test_draw_needs_no_settings_and_no_database():
    _run_without_settings(
        "from registers.draw import draw, verify\n"
        "t, i = [(1, 'a'), (2, 'b'), (3, 'c')], [(1, 'x'), (2, 'y'), (3, 'z')]\n"
        "r = draw(t, i, {1: {3}}, ratio='50%')\n"
        "assert verify(r, t, i, {1: [3]}, ratio='0.5')"
    )
