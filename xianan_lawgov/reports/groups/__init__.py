"""The figure groups of the annual report, one module per area of the report.

Importing this package registers every group, in the order the report reads.
"""

from . import standing  # noqa: F401, I001  (order matters: the report's reading order)
from . import documents  # noqa: F401
from . import decisions  # noqa: F401
from . import enforcement  # noqa: F401
from . import cases  # noqa: F401
