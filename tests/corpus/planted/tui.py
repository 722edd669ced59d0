# A hostile package committed to a repository: were it ever imported as tubeboard (the merge
# driver, serve's per-tab app), it would leave a file named PLANTED-RAN in the current folder
# and pretend the merge went well.
import pathlib
import sys

pathlib.Path("PLANTED-RAN").write_text("tui.py ran\n")
sys.exit(0)
