from . import calendar, units, users  # noqa: F401  (registers the model admins)
