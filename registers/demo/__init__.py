"""Demo data of the registers app, loaded by ``manage.py load_demo``.

Each register has its own module with ``load(command, units)``; they run in this order.
"""

from . import documents as documents_demo
from . import inspections as inspections_demo
from . import licences as licences_demo
from . import power_lists
from . import units as units_demo


def load(command) -> None:
    units = units_demo.load(command)
    for module in (power_lists, documents_demo, licences_demo, inspections_demo):
        module.load(command, units)
