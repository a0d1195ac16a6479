"""``python -m briefing``: the ``briefing`` command, for when its script is not on the PATH."""

from briefing.cli import main

if __name__ == "__main__":
    main(prog_name="briefing")
