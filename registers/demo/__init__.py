"""Demo data of the registers app, loaded by ``manage.py load_demo``.

Each register has its own module with ``load(command, units)``; they run in this order.
"""

from . import documents as documents_demo
from . import licences as licences_demo
from . import units as units_demo


def load(command) -> None:
    units = units_demo.load(command)
    for module in (documents_demo, licences_demo):
        module.load(command, units)
