"""What a read holds at its peak beyond what it keeps: at 100,000 records the peak is the
memory a user sees (bench (g)). Measured in bytes the interpreter allocated, which do not
depend on the machine's load."""

from __future__ import annotations

from tests.catalog.traced import traced
from tui.catalog.validate import parse_text

RECORD = '[[sample]]\ntube = {n}\nname = "Sample {n}"\nkind = "rock-core"\nsol = {n}\n\n'
COUNT = 5000
TEXT = "[board]\ntubes = 6000\n\n" + "".join(RECORD.format(n=n) for n in range(1, COUNT + 1))


def test_a_valid_read_holds_no_map_of_every_record_at_its_peak() -> None:
    parse_text(TEXT)  # the first read imports and builds what every read shares
    parsed, kept, peak = traced(lambda: parse_text(TEXT))
    assert parsed.catalog is not None and len(parsed.catalog.samples) == COUNT
    # Where each tube and name was first claimed (two tuples, a folded name and a holder a
    # record) took the peak to 905 bytes a record over 533 kept; made only at a clash now.
    assert (peak - kept) / COUNT < 150


def test_a_clash_late_in_a_long_file_still_names_the_line_of_the_first() -> None:
    late = RECORD.format(n=5001).replace("Sample 5001", "SAMPLE 10")
    twice = RECORD.format(n=5002).replace("tube = 5002", "tube = 20")
    parsed = parse_text(TEXT + late + twice)
    line_of_10 = 3 + 6 * 9 + 3  # the board, nine records, then record 10's name line
    line_of_20 = 3 + 6 * 19 + 2
    assert [p.message for p in parsed.problems] == [
        f"the name 'SAMPLE 10' is already used on line {line_of_10} by tube 10 (names ignore case)",
        f"tube 20 is already used on line {line_of_20} by 'Sample 20'",
    ]
