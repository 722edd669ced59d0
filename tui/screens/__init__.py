"""The app's screens, one per module. The board's styles are in tui/app.tcss; every other
screen's are in a .tcss file beside its module, loaded with it (see tui/styles.py)."""
