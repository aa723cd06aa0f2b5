from . import calendar, documents, licences, units, users  # noqa: F401  (registers the model admins)
