"""The shape the code keeps (issue 13): small classes, one seam for each speed trick, and a
sample's fields spelled out once. Read from the source with `ast`, so a change that breaks
the shape fails here, not in a reviewer's memory."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO
from tui.catalog.model import SAMPLE_KEYS

PACKAGE = REPO / "tui"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_class_is_over_250_lines() -> None:
    """Issue 24: by jobs (a helper per job), not by trimming."""
    long = [
        f"{path.relative_to(REPO)}:{node.name} {node.end_lineno - node.lineno + 1} lines"
        for path in SOURCES
        for node in ast.walk(tree(path))
        if isinstance(node, ast.ClassDef) and (node.end_lineno or 0) - node.lineno + 1 > 250
    ]
    assert long == []


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_collector_module_touches_the_garbage_collector() -> None:
    users = [p.relative_to(REPO).as_posix() for p in SOURCES if "gc" in imports_of(p)]
    assert users == ["tui/collector.py"]


def test_private_textual_members_are_used_from_one_module() -> None:
    """Any `x._name` on something not our own (self, cls) is a private member of someone
    else's object: Textual's, here. Only tui/textual_compat.py may reach for one."""
    found = []
    for path in SOURCES:
        if path.name == "textual_compat.py":
            continue
        for node in ast.walk(tree(path)):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} .{node.attr}")
    assert found == []


def test_a_samples_fields_are_spelled_out_once() -> None:
    """No literal list of several field names outside their one definition (the attrs
    fields of Sample, from which model.SAMPLE_FIELDS is derived)."""
    lists = []
    for path in SOURCES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                names = [
                    e.value
                    for e in node.elts
                    if isinstance(e, ast.Constant) and e.value in SAMPLE_KEYS
                ]
                if len(names) >= 3:
                    lists.append(f"{path.relative_to(REPO)}:{node.lineno} {names}")
    assert lists == []


def test_no_process_wide_switch_turns_validation_off() -> None:
    """Issue 23, part 4: attrs' validators.disabled() / set_disabled() are global and not
    thread-safe; parses run in three workers, and one left validation off for good."""
    found = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in SOURCES
        for node in ast.walk(tree(path))
        if isinstance(node, ast.Attribute)
        and node.attr in ("disabled", "set_disabled")
        and "validators" in ast.unparse(node.value)
    ]
    assert found == []


def test_no_attribute_named_in_a_string_and_no_control_flow_on_message_text() -> None:
    """Issue 24, part 1: undo chose its log by `getattr(self, "undo_steps")`, the move
    offered a swap when the refusal's text ended with "swap them?". Values have types."""
    found = []
    for path in SOURCES:
        for node in ast.walk(tree(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "self"
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.func.id}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("endswith", "startswith")
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("reason", "message")
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} .{node.value.attr}")
    assert found == []


def test_screens_and_widgets_reach_the_file_only_through_the_workspace() -> None:
    """Issue 24, part 2: never the store or the atomic writes."""
    found = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in SOURCES
        if path.parent.name in ("screens", "widgets")
        for name in imports_of(path)
        if name in ("tui.catalog.store", "tui.catalog.atomic", "tui.catalog.exchange")
    ]
    assert found == []


def test_no_test_compares_a_duration_with_a_fixed_number() -> None:
    """Issue 24, part 7: a 100,000-row test that allowed 20 s failed on a loaded 2-core
    machine. Speed is measured in bench/, as ratios; tests assert behaviour (a deadline that
    ends a wait for something to appear catches a hang, and is not such a comparison)."""
    found = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(tree(path)):
            if not isinstance(node, ast.Compare):
                continue
            text = ast.unparse(node)  # an elapsed time: a clock less when it started
            if any(f"{clock}() - " in text for clock in ("monotonic", "perf_counter", "time")):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {text}")
    assert found == []


def test_every_class_of_size_says_its_one_job() -> None:
    """Issue 24: each class's docstring names its job; a class that cannot say it in a
    sentence or two has more than one."""
    silent = [
        f"{path.relative_to(REPO)}:{node.name}"
        for path in SOURCES
        for node in ast.walk(tree(path))
        if isinstance(node, ast.ClassDef)
        and (node.end_lineno or 0) - node.lineno >= 40
        and not ast.get_docstring(node)
    ]
    assert silent == []


def test_the_form_queries_table_details_and_exports_ask_a_field_its_kind() -> None:
    """Issue 24: a field's kind (whole number, date, choice, text) is said once, in its
    definition (model.SAMPLE_FIELDS, tui/catalog/field_types.py); these modules ask it and
    never test a field's name against a sample key (`key in ("tube", "sol")`)."""
    from tui.catalog.model import SAMPLE_KEYS

    askers = [
        "tui/catalog/fields.py",
        "tui/catalog/query.py",
        "tui/catalog/export.py",
        "tui/widgets/sample_table.py",
        "tui/widgets/details_panel.py",
        "tui/screens/sample_form.py",
        "tui/screens/bulk_form.py",
    ]

    def named(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in SAMPLE_KEYS
        if isinstance(node, ast.Tuple | ast.Set | ast.List):
            return any(named(item) for item in node.elts)
        return False

    found = [
        f"{name}:{node.lineno}"
        for name in askers
        for node in ast.walk(tree(REPO / name))
        if isinstance(node, ast.Compare)
        and any(named(side) for side in node.comparators)
        and not (isinstance(node.left, ast.Attribute) and node.left.attr == "row")  # a form row
    ]
    assert found == []
