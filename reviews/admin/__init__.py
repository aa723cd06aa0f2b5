from . import (  # noqa: F401  (registers the model admins)
    contracts,
    decisions,
    evaluations,
    litigation,
    reconsideration,
    supervision,
)
