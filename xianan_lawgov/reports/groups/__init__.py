"""The figure groups of the annual report, one module per register or kind of case.

Importing this package registers every group, in the order the report reads.
"""

from . import cases  # noqa: F401
