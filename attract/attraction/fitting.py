"""Keeping the stored fit (FitScore) equal to what the assessments and requirements say.

Every recomputation is the same few set-based statements, whatever their scope: delete the
stored rows of the subjects in scope, then insert them again from one grouped query over
their counted assessments and their mismatching requirements. The arithmetic is the one of
selectors.with_fit (yes counts fully, partly half, no nothing; unknown answers and removed
qualities not at all; score = round(100·points / 2·weight) in integers) and a test holds
the two equal after every kind of change.

Scopes: one company or person (an assessment or a requirement changed), the subjects
assessed on one quality (its weight changed, it was removed), the subjects with a
requirement on one measurable item (its value or direction changed, it was removed), or
everyone (`attract plan refit`, the migration that created the table, bulk inserts).

The SQL is composed from the models' own table names; every value goes in as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from attract.attraction.models import (
    Answer,
    Assessment,
    Better,
    Expectation,
    FitScore,
    Quality,
    Requirement,
)


@dataclass(frozen=True)
class Scope:
    """Which subjects to recompute: an SQL condition on a row's company_id and person_id
    columns (aliased `t`), with its parameters; empty means everyone."""

    condition: str = ""
    params: tuple = ()


EVERYONE = Scope()


def _table(model) -> str:
    return connections["default"].ops.quote_name(model._meta.db_table)


def for_subject(*, company_id: int | None = None, person_id: int | None = None) -> Scope:
    if company_id is not None:
        return Scope("t.company_id = %s", (company_id,))
    return Scope("t.person_id = %s", (person_id,))


def _subjects_with(model, column: str, pk: int) -> Scope:
    """Every company and person that has a row of `model` whose `column` is `pk`."""
    table = _table(model)
    return Scope(
        f"(t.company_id IN (SELECT company_id FROM {table} WHERE {column} = %s"  # noqa: S608
        " AND company_id IS NOT NULL)"
        f" OR t.person_id IN (SELECT person_id FROM {table} WHERE {column} = %s"
        " AND person_id IS NOT NULL))",
        (pk, pk),
    )


def for_quality(quality_id: int) -> Scope:
    return _subjects_with(Assessment, "quality_id", quality_id)


def for_expectation(expectation_id: int) -> Scope:
    return _subjects_with(Requirement, "expectation_id", expectation_id)


def _statements(scope: Scope, now) -> list[tuple[str, tuple]]:
    fits, assessments, qualities = _table(FitScore), _table(Assessment), _table(Quality)
    requirements, expectations = _table(Requirement), _table(Expectation)
    where = f" AND {scope.condition}" if scope.condition else ""
    if scope.condition:
        delete = (
            f"DELETE FROM {fits} WHERE id IN (SELECT t.id FROM {fits} t WHERE {scope.condition})",  # noqa: S608
            scope.params,
        )
    else:
        delete = (f"DELETE FROM {fits}", ())  # noqa: S608
    # One row per counted assessment and one per mismatching requirement, then one
    # group per subject. The CASE keeps a subject with only requirements at score NULL.
    rows = (
        "SELECT t.company_id, t.person_id, q.weight AS weight,"  # noqa: S608
        " CASE t.answer WHEN %s THEN 2 * q.weight WHEN %s THEN q.weight ELSE 0 END AS points,"
        " 1 AS assessed, 0 AS mismatches"
        f" FROM {assessments} t JOIN {qualities} q ON q.id = t.quality_id"
        f" WHERE q.removed_at IS NULL AND t.answer <> %s{where}"
        " UNION ALL"
        " SELECT t.company_id, t.person_id, 0, 0, 0, 1"
        f" FROM {requirements} t JOIN {expectations} e ON e.id = t.expectation_id"
        " WHERE e.removed_at IS NULL"
        " AND ((e.better = %s AND t.value < e.value) OR (e.better = %s AND t.value > e.value))"
        f"{where}"
    )
    insert = (
        f"INSERT INTO {fits}"  # noqa: S608
        " (company_id, person_id, score, weight, points, assessed, mismatches, updated_at)"
        " SELECT company_id, person_id,"
        " CASE WHEN SUM(weight) = 0 THEN NULL"
        " ELSE (SUM(points) * 100 + SUM(weight)) / (SUM(weight) * 2) END,"
        " SUM(weight), SUM(points), SUM(assessed), SUM(mismatches), %s"
        f" FROM ({rows}) fit_rows GROUP BY company_id, person_id",
        (
            now,
            Answer.YES.value,
            Answer.PARTLY.value,
            Answer.UNKNOWN.value,
            *scope.params,
            Better.LOWER.value,
            Better.HIGHER.value,
            *scope.params,
        ),
    )
    return [delete, insert]


def refit(scope: Scope = EVERYONE, *, using: str = "default") -> None:
    """Recompute the stored fit of the subjects in scope."""
    connection = connections[using]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql, params in _statements(scope, now):
            cursor.execute(sql, params)
