from . import (  # noqa: F401  (registers the model admins)
    cleanup,
    contracts,
    decisions,
    evaluations,
    legality,
    litigation,
    reconsideration,
    supervision,
)
