"""The core: everything that knows no schema language.

Locations, directions, severities and modes; the model's base (:class:`~apidiff.core.model.Api`);
pairs and the rule declaration; the engine (pairs → rules → changes, forward verdicts from the
mirrored rules); the report; configuration and ignores; the format protocol
(:mod:`apidiff.core.format`); format-neutral plans, guides and usage data; sources and git
revisions. Nothing here imports a format, a renderer or a front end (``tests/test_layers.py``).
"""
