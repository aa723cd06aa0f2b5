from . import calendar, power, units, users  # noqa: F401  (registers the model admins)
