"""``python -m apidiff``: the same command as ``apidiff`` (for a checkout without the script installed)."""

from apidiff.cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="apidiff")
