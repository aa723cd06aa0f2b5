from . import (  # noqa: F401  (registers the model admins)
    cleanup,
    contracts,
    correction_rates,
    decisions,
    evaluations,
    legality,
    litigation,
    reconsideration,
    supervision,
)
