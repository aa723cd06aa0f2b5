"""Hand-written SQL for every figure of the annual report's figures engine.

The yardstick the engine (``xianan_lawgov/reports/figures.py`` and ``groups/*.py``) is
measured against: what an experienced developer would write by hand, one aggregate
statement per figure group (two where a group counts two unrelated tables), with
``COUNT(*) FILTER (WHERE …)`` (PostgreSQL, and SQLite since 3.30). The statements are the
same on both databases except where date arithmetic differs (``DIALECT`` below).

Figures that depend on the holiday calendar (draws published within ``PUBLICATION_DAYS``
working days, filings within ``FILING_DAYS`` calendar days) join a calendar table,
``bench_calendar``, which ``create_calendar_table`` fills from the office's calendar
(``get_calendar()``) before anything is timed — in an SQL-only system that table would be
reference data.

``hand_written_figures(year, unit_id)`` returns ``{"group.key": value}`` for one year, with
rates as percentages (the statements return numerator and denominator; the percentage is
rounded in Python exactly like ``reviews.rates.Rate``, and the shares of the draws' results
apportioned like the engine's, ``numbers.apportion``), so the result compares directly with
``FigureSet.values()``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection

from registers.core.calendar import get_calendar
from registers.core.numbers import SHARE, apportion
from registers.models import InspectionKind, PowerCategory, ResultKind
from registers.models.inspections import publication_days
from reviews.models import (
    CaseType,
    CorrectionRateDefinition,
    Grade,
    ReconsiderationOutcome,
    ReviewKind,
)
from reviews.models.contracts import filing_threshold, lawyer_review_threshold
from reviews.models.evaluations import grade_bands
from reviews.models.litigation import LOSSES, LitigationOutcome, OutcomeClass
from reviews.models.reconsideration import AGREED_ENDINGS, DIRECT_CORRECTIONS
from reviews.rates import Rate

# The one place the two databases differ: "a date plus N days" as SQL.
DIALECT = {
    "sqlite": {"plus_days": "date({column}, '+{days} days')"},
    "postgresql": {"plus_days": "({column} + {days})"},
}


def plus_days(column: str, days: int) -> str:
    return DIALECT[connection.vendor]["plus_days"].format(column=column, days=int(days))


def in_list(values) -> str:
    """An SQL list of string literals (the values are enum members, never user input)."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def count_each(column: str, choices, prefix: str, where: str = "") -> str:
    """One ``COUNT(*) FILTER`` column per member of ``choices`` (a ``TextChoices``), named
    ``{prefix}_{value}``; ``where`` is a condition every one of them adds."""
    also = f"{where} AND " if where else ""
    return ",\n  ".join(
        f"COUNT(*) FILTER (WHERE {also}{column} = '{member.value}') AS {prefix}_{member.value}"
        for member in choices
    )


# --- The calendar table ---------------------------------------------------------------------


def create_calendar_table(first: datetime.date, last: datetime.date) -> None:
    """``bench_calendar``: every day with its working-day ordinal and next working day."""
    calendar = get_calendar()
    days, ordinal = [], 0
    day = first
    while day <= last:
        working = calendar.is_working_day(day)
        ordinal += working
        days.append([day, working, ordinal])
        day += datetime.timedelta(days=1)
    following = None
    for row in reversed(days):
        if row[1]:
            following = row[0]
        row.append(following or last)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_calendar")
        cursor.execute(
            "CREATE TABLE bench_calendar (day date PRIMARY KEY, is_working boolean NOT NULL, "
            "working_ordinal integer NOT NULL, next_working_day date NOT NULL)"
        )
        cursor.executemany("INSERT INTO bench_calendar VALUES (%s, %s, %s, %s)", days)
        cursor.execute("CREATE INDEX bench_calendar_ordinal ON bench_calendar (working_ordinal)")


# --- The statements ----------------------------------------------------------------------
# Placeholders: {unit} is "" or "AND <owner column> = %(unit)s"; %(start)s and %(next)s
# bound the year (start ≤ day < next); %(end)s is 31 December.

POWER = """
SELECT
  COUNT(*) FILTER (WHERE p.list_kind = 'power') AS items,
  COUNT(*) FILTER (WHERE p.list_kind = 'power' AND u.kind <> 'township') AS district_items,
  COUNT(*) FILTER (WHERE p.list_kind = 'power' AND u.kind = 'township') AS township_items,
  COUNT(*) FILTER (WHERE p.list_kind = 'negative') AS negative_items,
  COUNT(*) FILTER (WHERE p.list_kind = 'fee') AS fee_items,
  {categories}
FROM registers_poweritem p
JOIN registers_unit u ON u.id = p.unit_id
WHERE p.status = 'approved'
  AND p.effective_from <= %(end)s
  AND (p.closed_on IS NULL OR p.closed_on > %(end)s)
  {unit}
"""

INSPECTION = """
SELECT
  COUNT(*) AS items,
  {kinds},
  COUNT(DISTINCT unit_id) AS units
FROM registers_inspectionitem
WHERE status = 'approved'
  AND year = %(year)s
  AND published_on <= %(end)s
  AND (cancelled_on IS NULL OR cancelled_on > %(end)s)
  {unit}
"""

LICENCES = """
SELECT COUNT(*) AS integrated_items,
       COUNT(DISTINCT i.batch_id) AS batches,
       MIN(b.first_licence_on) AS first_licence_on
FROM registers_integrateditem i
JOIN registers_licencereformbatch b ON b.id = i.batch_id
WHERE i.status = 'approved'
  AND b.reform_on >= %(start)s AND b.reform_on < %(next)s
  {unit}
"""

LEGALITY_REVIEWS = """
SELECT
  COUNT(*) AS reviews_completed,
  {kinds},
  (SELECT COUNT(*) FROM reviews_commentdraftreply r
    WHERE r.status = 'approved' AND r.replied_on >= %(start)s AND r.replied_on < %(next)s
    {reply_unit}) AS comment_drafts_answered
FROM reviews_legalityreview
WHERE status = 'approved'
  AND completed_on >= %(start)s AND completed_on < %(next)s
  {unit}
"""

FILINGS = """
SELECT
  COUNT(*) AS normative_filed,
  COUNT(*) FILTER (WHERE f.filed_on <= c.next_working_day) AS filed_on_time,
  COUNT(*) FILTER (WHERE f.filed_on > c.next_working_day) AS filed_late
FROM reviews_filing f
JOIN registers_document d ON d.id = f.document_id
JOIN bench_calendar c ON c.day = {due_from}
WHERE f.status = 'approved'
  AND f.filed_with = 'municipal_government'
  AND f.filed_on >= %(start)s AND f.filed_on < %(next)s
  {unit}
"""

CLEANUP = """
SELECT
  COUNT(*) AS documents,
  COUNT(*) FILTER (WHERE d.kind = 'normative') AS normative,
  COUNT(*) FILTER (WHERE d.kind = 'non_normative') AS non_normative,
  COUNT(*) FILTER (WHERE d.kind = 'normative' AND i.outcome = 'continue') AS normative_continued,
  COUNT(*) FILTER (WHERE d.kind = 'normative' AND i.outcome = 'amend') AS normative_amended,
  COUNT(*) FILTER (WHERE d.kind = 'normative' AND i.outcome = 'repeal') AS normative_repealed,
  COUNT(*) FILTER (WHERE d.kind = 'normative' AND i.outcome = 'expire') AS normative_expired,
  COUNT(*) FILTER (WHERE d.kind = 'non_normative' AND i.outcome = 'in_validity')
    AS non_normative_in_validity,
  COUNT(*) FILTER (WHERE d.kind = 'non_normative' AND i.outcome = 'past_validity')
    AS non_normative_past_validity,
  COUNT(*) FILTER (WHERE d.kind = 'non_normative' AND i.outcome = 'to_revise')
    AS non_normative_to_revise
FROM reviews_cleanupitem i
JOIN reviews_cleanupcampaign c ON c.id = i.campaign_id
JOIN registers_document d ON d.id = i.document_id
WHERE c.status = 'approved'
  AND c.confirmed_on >= %(start)s AND c.confirmed_on < %(next)s
  {unit}
"""

CONTRACTS = """
SELECT
  COUNT(*) FILTER (WHERE signed_on >= %(start)s AND signed_on < %(next)s) AS signed,
  COUNT(*) FILTER (WHERE amount >= %(lawyer)s
                     AND lawyer_reviewed_on >= %(start)s AND lawyer_reviewed_on < %(next)s)
    AS lawyer_reviewed,
  COUNT(*) FILTER (WHERE amount >= %(filing)s
                     AND filed_on >= %(start)s AND filed_on < %(next)s) AS filed,
  COUNT(*) FILTER (WHERE signed_on >= %(start)s AND signed_on < %(next)s
                     AND amount >= %(lawyer)s AND lawyer_reviewed_on IS NULL)
    AS missing_lawyer_review,
  COUNT(*) FILTER (WHERE signed_on >= %(start)s AND signed_on < %(next)s
                     AND amount >= %(filing)s AND filed_on IS NULL) AS missing_filing
FROM reviews_governmentcontract
WHERE status = 'approved'
  {unit}
"""

DECISIONS = """
SELECT
  COUNT(*) AS catalogued,
  COUNT(*) FILTER (WHERE m.legality_review_result IN ('passed', 'risk_stated')) AS legality_passed,
  COUNT(*) FILTER (WHERE m.discussed_on IS NOT NULL) AS discussed,
  COUNT(*) FILTER (WHERE m.published_on IS NOT NULL) AS published,
  COUNT(*) FILTER (WHERE m.post_evaluated_on IS NOT NULL) AS post_evaluated,
  COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM reviews_decisionparticipant p
    WHERE p.decision_id = m.id AND p.stance <> 'agree')) AS with_dissent,
  COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM reviews_decisionstep s WHERE s.decision_id = m.id
    AND s.kind = 'public_participation' AND s.applicable AND s.completed_on IS NOT NULL))
    AS step_public_participation,
  COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM reviews_decisionstep s WHERE s.decision_id = m.id
    AND s.kind = 'expert_argument' AND s.applicable AND s.completed_on IS NOT NULL))
    AS step_expert_argument,
  COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM reviews_decisionstep s WHERE s.decision_id = m.id
    AND s.kind = 'risk_assessment' AND s.applicable AND s.completed_on IS NOT NULL))
    AS step_risk_assessment
FROM reviews_majordecision m
JOIN reviews_decisioncatalogue c ON c.id = m.catalogue_id
WHERE m.status = 'approved' AND c.year = %(year)s
  {unit}
"""

DRAWS = """
SELECT
  COUNT(*) AS draws,
  COALESCE(SUM(t.targets), 0) AS targets,
  COALESCE(SUM(t.checked), 0) AS checked,
  {results},
  COUNT(d.published_on) AS published,
  COUNT(*) FILTER (WHERE d.published_on <= due.day) AS published_on_time,
  COUNT(*) FILTER (WHERE d.published_on > due.day) AS published_late
FROM registers_inspectiondraw d
LEFT JOIN (
  SELECT draw_id, COUNT(*) AS targets, COUNT(*) FILTER (WHERE result <> '') AS checked,
  {per_draw_results}
  FROM registers_drawntarget
  GROUP BY draw_id
) t ON t.draw_id = d.id
LEFT JOIN bench_calendar ended ON ended.day = d.check_ended_on
LEFT JOIN bench_calendar due
  ON due.working_ordinal = ended.working_ordinal + {working_days} AND due.is_working
WHERE d.status = 'approved'
  AND d.drawn_on >= %(start)s AND d.drawn_on < %(next)s
  {unit}
"""

EVALUATION = """
WITH files AS (
  SELECT f.id, f.unit_id, f.case_type, f.form_score + f.content_score AS total,
         EXISTS (SELECT 1 FROM reviews_fileveto v WHERE v.file_id = f.id) AS vetoed
  FROM reviews_evaluatedfile f
  JOIN reviews_evaluationround r ON r.id = f.round_id
  WHERE f.status = 'approved' AND r.year = %(year)s
  {unit}
), graded AS (
  SELECT files.*, {grade_case} AS grade FROM files
)
SELECT
  (SELECT COUNT(*) FROM reviews_evaluationround WHERE year = %(year)s) AS rounds,
  COUNT(DISTINCT unit_id) AS units,
  COUNT(*) AS files,
  {case_types},
  {grades},
  COUNT(*) FILTER (WHERE vetoed) AS vetoed,
  (SELECT COUNT(*) FROM reviews_evaluationproblem p
    WHERE p.file_id IN (SELECT id FROM files)) AS problems,
  (SELECT COUNT(*) FROM reviews_evaluationproblem p
    WHERE p.file_id IN (SELECT id FROM files) AND p.rectified_on IS NOT NULL)
    AS problems_rectified
FROM graded
"""

RECONSIDERATION = """
SELECT
  COUNT(*) FILTER (WHERE received_on >= %(start)s AND received_on < %(next)s) AS received,
  COUNT(*) FILTER (WHERE acceptance IN ('accepted', 'deemed_accepted')
                     AND acceptance_on >= %(start)s AND acceptance_on < %(next)s) AS accepted,
  COUNT(*) FILTER (WHERE acceptance = 'not_accepted'
                     AND acceptance_on >= %(start)s AND acceptance_on < %(next)s)
    AS not_accepted,
  COUNT(*) FILTER (WHERE concluded_on >= %(start)s AND concluded_on < %(next)s) AS concluded,
  COUNT(*) FILTER (WHERE concluded_on >= %(start)s AND concluded_on < %(next)s
                     AND outcome IN {direct}) AS direct,
  COUNT(*) FILTER (WHERE concluded_on >= %(start)s AND concluded_on < %(next)s
                     AND (outcome IN {direct}
                          OR (outcome = 'withdrawn' AND respondent_corrected)))
    AS comprehensive,
  COUNT(*) FILTER (WHERE concluded_on >= %(start)s AND concluded_on < %(next)s
                     AND outcome IN {agreed}) AS agreed,
  {outcomes}
FROM reviews_reconsiderationcase
WHERE status = 'approved'
  {unit}
"""

LITIGATION = """
SELECT
  COUNT(*) FILTER (WHERE served_on >= %(start)s AND served_on < %(next)s) AS cases,
  COUNT(*) FILTER (WHERE heard) AS heard,
  COUNT(*) FILTER (WHERE heard AND NOT uncovered) AS head_appearances,
  COUNT(*) FILTER (WHERE concluded) AS concluded,
  COUNT(*) FILTER (WHERE concluded AND outcome IN {wins}) AS wins,
  COUNT(*) FILTER (WHERE concluded AND outcome IN {losses}) AS losses,
  COUNT(*) FILTER (WHERE concluded AND outcome IN {withdrawn}) AS withdrawn,
  COUNT(*) FILTER (WHERE concluded AND outcome IN {other}) AS other_endings,
  COUNT(*) FILTER (WHERE concluded AND outcome <> 'withdrawn') AS decided
FROM (
  SELECT c.served_on, c.outcome,
         (c.concluded_on >= %(start)s AND c.concluded_on < %(next)s) AS concluded,
         EXISTS (SELECT 1 FROM reviews_litigationhearing h
                 WHERE h.case_id = c.id AND h.held_on >= %(start)s AND h.held_on < %(next)s)
           AS heard,
         EXISTS (SELECT 1 FROM reviews_litigationhearing h
                 WHERE h.case_id = c.id AND h.held_on >= %(start)s AND h.held_on < %(next)s
                   AND NOT EXISTS (SELECT 1 FROM reviews_litigationhearing h2
                                   WHERE h2.case_id = h.case_id
                                     AND h2.trial_instance = h.trial_instance
                                     AND h2.head_rank <> ''))
           AS uncovered
  FROM reviews_litigationcase c
  WHERE c.status = 'approved'
  {unit}
) cases
"""

SUPERVISION = """
SELECT
  (SELECT COUNT(*) FROM reviews_accountabilityrecord
    WHERE status = 'approved' AND decided_on >= %(start)s AND decided_on < %(next)s
      AND measure IN {measures} {unit}) AS accountability,
  (SELECT COUNT(*) FROM reviews_criminaltransfer
    WHERE status = 'approved' AND transferred_on >= %(start)s AND transferred_on < %(next)s
      {unit}) AS criminal_transfers,
  (SELECT COUNT(*) FROM reviews_rectificationproblem
    WHERE status = 'approved' AND due_on >= %(start)s AND due_on < %(next)s {unit})
    AS rectifications_due,
  (SELECT COUNT(*) FROM reviews_rectificationproblem
    WHERE status = 'approved' AND rectified_on >= %(start)s AND rectified_on < %(next)s {unit})
    AS rectified
"""


def _result_keys() -> list[str]:
    return [f"result_{kind.value}" for kind in ResultKind]


def _unit(column: str, unit_id) -> str:
    return "" if unit_id is None else f"AND {column} = %(unit)s"


def _grade_case() -> str:
    whens = " ".join(
        f"WHEN total >= {minimum} THEN '{grade.value}'" for minimum, grade in grade_bands()
    )
    return (
        f"CASE WHEN vetoed THEN '{Grade.FAIL.value}' WHEN total IS NULL THEN NULL "
        f"{whens} ELSE '{Grade.FAIL.value}' END"
    )


def statements(unit_id=None) -> dict[str, str]:
    """Every statement, ready to run, for the whole district or one unit."""
    from reviews.models import AccountabilityMeasure

    u = lambda column: _unit(column, unit_id)  # noqa: E731
    return {
        "power": POWER.format(
            unit=u("p.unit_id"),
            categories=count_each("p.category", PowerCategory, "category", "p.list_kind = 'power'"),
        ),
        "inspection": INSPECTION.format(
            unit=u("unit_id"), kinds=count_each("kind", InspectionKind, "items")
        ),
        "licences": LICENCES.format(unit=u("i.unit_id")),
        "legality": LEGALITY_REVIEWS.format(
            unit=u("unit_id"),
            reply_unit=u("r.unit_id"),
            kinds=count_each("kind", ReviewKind, "reviews"),
        ),
        "filings": FILINGS.format(
            unit=u("f.unit_id"),
            due_from=plus_days("d.issued_on", settings.LAWGOV["FILING_DAYS"]),
        ),
        "cleanup": CLEANUP.format(unit=u("c.unit_id")),
        "contracts": CONTRACTS.format(unit=u("unit_id")),
        "decisions": DECISIONS.format(unit=u("m.unit_id")),
        "draws": DRAWS.format(
            unit=u("d.unit_id"),
            results=",\n  ".join(f"COALESCE(SUM(t.{key}), 0) AS {key}" for key in _result_keys()),
            per_draw_results=count_each("result", ResultKind, "result"),
            working_days=publication_days(),
        ),
        "evaluation": EVALUATION.format(
            unit=u("f.unit_id"),
            grade_case=_grade_case(),
            case_types=count_each("case_type", CaseType, "files"),
            grades=count_each("grade", Grade, "grade"),
        ),
        "reconsideration": RECONSIDERATION.format(
            unit=u("unit_id"),
            direct=in_list(DIRECT_CORRECTIONS),
            agreed=in_list(AGREED_ENDINGS),
            outcomes=count_each(
                "outcome",
                ReconsiderationOutcome,
                "outcome",
                "concluded_on >= %(start)s AND concluded_on < %(next)s",
            ),
        ),
        "litigation": LITIGATION.format(
            unit=u("c.unit_id"),
            wins=in_list(LitigationOutcome.of_class(OutcomeClass.WIN)),
            losses=in_list(LOSSES),
            withdrawn=in_list(LitigationOutcome.of_class(OutcomeClass.WITHDRAWN)),
            other=in_list(LitigationOutcome.of_class(OutcomeClass.OTHER)),
        ),
        "supervision": SUPERVISION.format(
            unit=u("unit_id"), measures=in_list(AccountabilityMeasure)
        ),
    }


def _as_date(value):
    """SQLite returns dates as text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _percent(numerator: int, denominator: int):
    return Rate(numerator, denominator).percent


def hand_written_figures(year: int, unit_id=None, prepared: dict | None = None) -> dict:
    """Every figure for ``year``, keyed like ``FigureSet.values()``."""
    sql = prepared or statements(unit_id)
    params = {
        "year": year,
        "start": datetime.date(year, 1, 1),
        "next": datetime.date(year + 1, 1, 1),
        "end": datetime.date(year, 12, 31),
        "unit": unit_id,
        "lawyer": lawyer_review_threshold(),
        "filing": filing_threshold(),
    }
    rows = {}
    with connection.cursor() as cursor:
        for group, statement in sql.items():
            cursor.execute(statement, params)
            names = [column[0] for column in cursor.description]
            rows[group] = dict(zip(names, cursor.fetchone(), strict=True))

    values: dict = {}

    def put(group: str, row: dict) -> None:
        values.update({f"{group}.{key}": value for key, value in row.items()})

    put("power", rows["power"])
    put("inspection", rows["inspection"])
    licences = rows["licences"]
    licences["first_licence_on"] = _as_date(licences["first_licence_on"])
    put("licences", licences)
    put("legality", {**rows["legality"], **rows["filings"]})
    put("cleanup", rows["cleanup"])
    put(
        "contracts",
        {
            "lawyer_review_threshold_wan": lawyer_review_threshold() / Decimal(10000),
            "filing_threshold_wan": filing_threshold() / Decimal(10000),
            **rows["contracts"],
        },
    )
    put("decisions", rows["decisions"])
    draws = rows["draws"]
    keys = _result_keys()
    shares = apportion([draws[key] for key in keys], SHARE)  # rounded like the engine's
    put(
        "draws",
        {**draws, **{f"{key}_share": share for key, share in zip(keys, shares, strict=True)}},
    )
    put("evaluation", rows["evaluation"])

    rec = rows["reconsideration"]
    base = rec[CorrectionRateDefinition.for_year(year).denominator.value]
    put(
        "reconsideration",
        {
            **{key: rec[key] for key in ("received", "accepted", "not_accepted", "concluded")},
            "direct_correction_rate": _percent(rec["direct"], base),
            "comprehensive_correction_rate": _percent(rec["comprehensive"], base),
            "mediation_settlement_rate": _percent(rec["agreed"], base),
            **{f"outcome_{o.value}": rec[f"outcome_{o.value}"] for o in ReconsiderationOutcome},
        },
    )
    lit = rows["litigation"]
    put(
        "litigation",
        {
            **{key: lit[key] for key in ("cases", "heard", "head_appearances", "concluded")},
            **{key: lit[key] for key in ("wins", "losses", "withdrawn", "other_endings")},
            "head_appearance_rate": _percent(lit["head_appearances"], lit["heard"]),
            "loss_rate": _percent(lit["losses"], lit["concluded"]),
            "win_rate": _percent(lit["wins"], lit["decided"]),
        },
    )
    put("supervision", rows["supervision"])
    return values
