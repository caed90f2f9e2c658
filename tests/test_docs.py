"""Docs test (issue #22): every command and option of the CLI has help text and is named in README.md.

The parser is walked as `tonghop` builds it (`tonghop.cli.build_parser`): each subcommand through the
subparsers action's `choices`, each option through its parser's actions. README.md keeps a `## Commands`
section with one subsection `### tonghop <command>` per command; every option of the command is named
(its long form, e.g. `--no-progress`) inside that subsection, and the subsection names no option the command
does not have. One test per command and per option, so a failure names it.
"""

from __future__ import annotations

import argparse
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tonghop.cli import COMMAND_MODULES, build_parser

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
COMMANDS_HEADING = "## Commands"

# Options hidden from `--help` on purpose (help=argparse.SUPPRESS): "command --option" -> why.
# None so far; an entry here must say why an officer should not see the option.
HIDDEN: dict[str, str] = {}

_SUBSECTION = re.compile(r"^### `tonghop ([^`]+)`")
_OPTION_IN_TEXT = re.compile(r"(?<![\w-])--[A-Za-z0-9][\w-]*")


@dataclass(frozen=True)
class Command:
    name: str  # "run"; nested commands would be "group sub"
    help: str | None
    parser: argparse.ArgumentParser


@dataclass(frozen=True)
class Option:
    command: str  # "" for an option of `tonghop` itself
    strings: tuple[str, ...]  # option strings; a positional's metavar or dest
    help: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """What README.md must name: the long forms (`--x`), or every string if there is none."""
        long = tuple(s for s in self.strings if s.startswith("--"))
        return long or self.strings

    @property
    def id(self) -> str:
        return f"{self.command} {self.names[0]}".strip()


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction[argparse.ArgumentParser]]:
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def walk_commands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[Command]:
    """Every subcommand, depth first; an alias is not a command of its own."""
    for action in _subparsers(parser):
        helps = {pseudo.dest: pseudo.help for pseudo in action._choices_actions}
        seen: set[int] = set()
        for name, subparser in action.choices.items():
            if id(subparser) in seen:
                continue
            seen.add(id(subparser))
            full = f"{prefix} {name}".strip()
            yield Command(full, helps.get(name), subparser)
            yield from walk_commands(subparser, full)


def walk_options(parser: argparse.ArgumentParser, command: str) -> Iterator[Option]:
    """The parser's own options and positionals, without `-h/--help` and the subcommand switch."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        strings = tuple(action.option_strings)
        if not strings:
            metavar = action.metavar if isinstance(action.metavar, str) else None
            strings = (metavar or action.dest,)
        yield Option(command, strings, action.help)


def readme_sections(readme: str) -> dict[str, str]:
    """The `## Commands` section (under key "") and its subsections `### tonghop <command>`."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    in_fence = False
    for line in readme.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.startswith("## "):
            current = "" if line.strip() == COMMANDS_HEADING else None
        elif not in_fence and current is not None and line.startswith("### "):
            match = _SUBSECTION.match(line)
            current = match.group(1).strip() if match else ""
        if current is not None:
            sections.setdefault(current, []).append(line)
            if current:  # a subsection is also part of the whole section
                sections.setdefault("", []).append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


def _names(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _has_text(help_text: str | None) -> bool:
    return bool(help_text and help_text.strip() and help_text != argparse.SUPPRESS)


def command_problems(command: Command, sections: dict[str, str]) -> list[str]:
    problems = []
    if not _has_text(command.help):
        problems.append(f"tonghop {command.name}: the command has no help text")
    section = sections.get(command.name)
    if section is None:
        problems.append(f"README.md: no subsection '### `tonghop {command.name}`' under '{COMMANDS_HEADING}'")
        return problems
    known = {s for option in walk_options(command.parser, command.name) for s in option.strings}
    known.add("--help")
    for stale in sorted(set(_OPTION_IN_TEXT.findall(section)) - known):
        problems.append(f"README.md, tonghop {command.name}: names {stale}, which the command does not have")
    return problems


def option_problems(option: Option, sections: dict[str, str], hidden: dict[str, str]) -> list[str]:
    problems = []
    where = f"tonghop {option.id}"
    if option.help == argparse.SUPPRESS:
        if option.id in hidden:
            return []  # hidden on purpose, for a reason given in HIDDEN: no need to explain it either
        problems.append(f"{where}: hidden from --help (argparse.SUPPRESS) without a reason in HIDDEN")
    elif not _has_text(option.help):
        problems.append(f"{where}: the option has no help text")
    section = sections.get(option.command)
    if section is None:
        label = f"`tonghop {option.command}`" if option.command else COMMANDS_HEADING
        problems.append(f"README.md: no section for {label}, so {where} is not explained")
        return problems
    for name in option.names:
        if not _names(section, name):
            problems.append(f"README.md: {where} is not named in its command's section")
    return problems


def all_problems(parser: argparse.ArgumentParser, readme: str, hidden: dict[str, str]) -> list[str]:
    sections = readme_sections(readme)
    problems = [p for option in walk_options(parser, "") for p in option_problems(option, sections, hidden)]
    for command in walk_commands(parser):
        problems += command_problems(command, sections)
        for option in walk_options(command.parser, command.name):
            problems += option_problems(option, sections, hidden)
    return problems


# --- the real CLI and README -----------------------------------------------------------------------

PARSER = build_parser()
COMMANDS = list(walk_commands(PARSER))
OPTIONS = [
    *walk_options(PARSER, ""),
    *(option for command in COMMANDS for option in walk_options(command.parser, command.name)),
]


@functools.cache
def _readme_sections() -> dict[str, str]:
    return readme_sections(README.read_text(encoding="utf-8"))


def test_walk_finds_every_registered_command() -> None:
    # Guards the parametrized tests below against passing on an empty walk.
    assert [c.name for c in COMMANDS] == [m.rsplit(".", 1)[1] for m in COMMAND_MODULES]
    assert {o.id for o in OPTIONS} >= {"run --no-progress", "publish --decisions", "schema --dir"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_command_has_help_and_a_readme_section(command: Command) -> None:
    assert command_problems(command, _readme_sections()) == []


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.id)
def test_option_has_help_and_is_named_in_its_readme_section(option: Option) -> None:
    assert option_problems(option, _readme_sections(), HIDDEN) == []


def test_hidden_options_are_still_hidden() -> None:
    # A reason left in HIDDEN after its option was given help (or removed) would excuse the next one.
    suppressed = {o.id for o in OPTIONS if o.help == argparse.SUPPRESS}
    assert set(HIDDEN) <= suppressed


# --- the checks themselves can fail ----------------------------------------------------------------


def _tiny_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tonghop")
    sub = parser.add_subparsers(dest="command")
    good = sub.add_parser("good", help="Documented.")
    good.add_argument("--fine", help="Documented.")
    good.add_argument("--bare")
    good.add_argument("--blank", help="  ")
    good.add_argument("--hidden", help=argparse.SUPPRESS)
    good.add_argument("--elsewhere", help="Named outside its command's section only.")
    good.add_argument("--round", help="Named only as part of a longer option.")
    sub.add_parser("silent")
    return parser


_TINY_README = """# tonghop

`--elsewhere` is named here, before the commands.

## Commands

### `tonghop good`

| option | meaning |
|---|---|
| `--fine` | fine |
| `--bare`, `--blank`, `--hidden` | named, but without help in the code |
| `--rounds` | a longer name only, and an option the command lacks |

## Settings

`--elsewhere` again, outside `tonghop good`.
"""


def test_problems_name_every_missing_help_and_mention() -> None:
    assert all_problems(_tiny_parser(), _TINY_README, hidden={}) == [
        "README.md, tonghop good: names --rounds, which the command does not have",
        "tonghop good --bare: the option has no help text",
        "tonghop good --blank: the option has no help text",
        "tonghop good --hidden: hidden from --help (argparse.SUPPRESS) without a reason in HIDDEN",
        "README.md: tonghop good --elsewhere is not named in its command's section",
        "README.md: tonghop good --round is not named in its command's section",
        "tonghop silent: the command has no help text",
        "README.md: no subsection '### `tonghop silent`' under '## Commands'",
    ]


def test_a_hidden_option_with_a_reason_passes_and_a_stale_option_is_caught() -> None:
    problems = all_problems(_tiny_parser(), _TINY_README, hidden={"good --hidden": "for tests only"})
    assert not any("--hidden" in p for p in problems)
    assert "README.md, tonghop good: names --rounds, which the command does not have" in problems


def test_a_documented_parser_has_no_problems() -> None:
    parser = argparse.ArgumentParser(prog="tonghop")
    sub = parser.add_subparsers(dest="command")
    cmd = sub.add_parser("go", help="Go.")
    cmd.add_argument("-n", "--dry-run", action="store_true", help="Only say what would be done.")
    cmd.add_argument("target", help="Where to go.")
    readme = "## Commands\n\n### `tonghop go`\n\n`--dry-run`: only say.  `target`: where.\n"
    assert all_problems(parser, readme, hidden={}) == []
    assert all_problems(parser, readme.replace("--dry-run", "-n"), hidden={}) == [
        "README.md: tonghop go --dry-run is not named in its command's section"
    ]


def test_fenced_code_does_not_open_or_close_a_section() -> None:
    readme = (
        "## Commands\n\n```text\n## not a heading\n```\n\n### `tonghop go`\n\n`--x`\n\n## Next\n\n`--y`\n"
    )
    sections = readme_sections(readme)
    assert set(sections) == {"", "go"}
    assert "--x" in sections["go"] and "--y" not in sections["go"]
