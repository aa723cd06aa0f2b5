"""The Excel exchange, for any register: ``columns`` (how a register's columns are declared,
read and written), ``templates`` (the sheet a user fills), ``reading`` (a workbook, safely),
``checking`` (every row, every mistake with its place and code), ``writing`` (records and
history in a few statements) and ``uploads`` (the one path from a file to records, behind
the data-exchange page, its API and the admin's import button).

It names no register: a register takes part by declaring a resource (its columns) and, to
appear on the data-exchange page, registering it with ``uploads.register``.
"""
