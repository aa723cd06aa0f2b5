from . import (  # noqa: F401  (registers the model admins)
    calendar,
    enforcement,
    inspections,
    power,
    units,
    users,
)
