"""The platform every app stands on: roles and the scoping rule, the review workflow, the
working-day calendar and the statutory-deadline engine, the API base, the Excel exchange
and the helpers every service uses. It imports no register, review, report or workspace
module; they import it. ``docs/architecture.md`` says where each rule lives."""
