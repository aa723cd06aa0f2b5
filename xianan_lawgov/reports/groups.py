"""The figure groups of the annual report, one per register or kind of case."""
