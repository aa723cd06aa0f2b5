"""Demo data of the reviews app (the 2017 set), loaded by ``manage.py load_demo``."""

from django.utils.translation import gettext_lazy as _

from registers.core.progress import NoProgress
from registers.models import Unit

from . import cases, contracts, decisions, evaluations
from . import cleanup as cleanup_demo
from . import legality as legality_demo

#: (module, what it loads), in loading order.
STEPS = (
    (legality_demo, _("合法性审核与备案")),
    (cleanup_demo, _("文件清理")),
    (contracts, _("政府合同")),
    (decisions, _("重大行政决策")),
    (evaluations, _("案卷评查")),
    (cases, _("复议、应诉与监督案件")),
)


def load(command, progress=None) -> None:
    progress = progress or NoProgress()
    units = {unit.code: unit for unit in Unit.objects.all()}
    for module, label in STEPS:
        module.load(command, units)
        progress.advance(note=str(label))
