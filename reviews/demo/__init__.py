"""Demo data of the reviews app (the 2017 set), loaded by ``manage.py load_demo``."""

from registers.models import Unit

from . import cases, contracts, decisions, evaluations


def load(command) -> None:
    units = {unit.code: unit for unit in Unit.objects.all()}
    for module in (contracts, decisions, evaluations, cases):
        module.load(command, units)
