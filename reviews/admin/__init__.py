from . import cleanup, legality  # noqa: F401  (registers the model admins)
