"""The Excel exchange: reading uploaded workbooks, checking their rows, writing records."""
