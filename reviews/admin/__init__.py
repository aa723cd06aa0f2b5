from . import contracts, decisions, evaluations  # noqa: F401  (registers the model admins)
