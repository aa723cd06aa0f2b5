"""Workflows of the reviews app that touch several rows, one module per register.

Every function here locks what it changes, checks ``registers.core.permissions`` and the model's
rules, and saves all or nothing.
"""
