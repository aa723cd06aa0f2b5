"""Demo data of the registers app, loaded by ``manage.py load_demo``.

Each register has its own module with ``load(command, units)``; they run in this order.
"""

from django.utils.translation import gettext_lazy as _

from registers.core.progress import NoProgress

from . import documents as documents_demo
from . import inspections as inspections_demo
from . import licences as licences_demo
from . import power_lists
from . import units as units_demo

#: (module, what it loads), in loading order; the units come first, the rest use them.
STEPS = (
    (units_demo, _("单位和演示账号")),
    (power_lists, _("权责清单")),
    (documents_demo, _("文件登记")),
    (licences_demo, _("多证合一")),
    (inspections_demo, _("双随机抽查")),
)


def load(command, progress=None) -> None:
    progress = progress or NoProgress()
    units = units_demo.load(command)
    progress.advance(note=str(STEPS[0][1]))
    for module, label in STEPS[1:]:
        module.load(command, units)
        progress.advance(note=str(label))
