from . import (  # noqa: F401  (registers the model admins)
    calendar,
    documents,
    enforcement,
    inspections,
    jobs,
    licences,
    power,
    units,
    users,
)
