"""Sub-commands that live in their own module; cli.py registers them.

Each module imports only typer and the standard library at the top, so that registering the
command costs nothing at start-up; the work is imported inside the function.
"""
