"""咸安区法治政府建设合规台账: the project that composes the registers and the reviews."""

#: The release, shown on /readyz, in the page footers and in backup manifests; pyproject.toml
#: reads it from here. Each release has its entry in CHANGELOG.md.
__version__ = "1.0.0"
