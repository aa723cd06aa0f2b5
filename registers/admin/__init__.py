from . import (  # noqa: F401  (registers the model admins)
    calendar,
    documents,
    enforcement,
    inspections,
    licences,
    power,
    units,
    users,
)
