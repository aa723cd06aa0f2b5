from . import calendar, enforcement, inspections, units, users  # noqa: F401  (registers the model admins)
