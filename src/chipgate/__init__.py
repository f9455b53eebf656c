"""chipgate: rules-as-code compliance engine for US export controls on AI compute.

Decisions are reproducible "as of" a date: every threshold, country list and cap is
read from dated, cited data files, and every decision carries the citations it used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
