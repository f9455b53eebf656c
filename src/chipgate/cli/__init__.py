"""The ``chipgate`` command line: thin commands that parse, call the library, render."""
