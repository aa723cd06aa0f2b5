from . import litigation, reconsideration, supervision  # noqa: F401  (registers the model admins)
