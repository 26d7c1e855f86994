"""The layering rules of ARCHITECTURE.md, checked on the syntax trees of `bot/` and `handlers/`.

Each rule is a function from parsed modules to the set of its violations, so a test can feed it
a bad snippet and see it fail. Today's violations are listed per rule in `KNOWN_*` while the
fixes land; a listed violation that no longer exists fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
Modules = Mapping[str, ast.Module]


@dataclass(frozen=True)
class Imported:
    module: str  # the dotted module imported from
    name: str | None  # the name taken from it (`from module import name`), if any

    def targets(self) -> Iterator[str]:
        """`from bot.views import ivf` may import the module `bot.views.ivf`: both count."""
        yield self.module
        if self.name is not None:
            yield f"{self.module}.{self.name}"


def parse_tree(root: Path = ROOT) -> dict[str, ast.Module]:
    """Every module of `bot/` and `handlers/` by its dotted name."""
    modules = {}
    for package in ("bot", "handlers"):
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            modules[name].is_package = parts[-1] == "__init__"  # type: ignore[attr-defined]
    return modules


def parse_snippets(sources: Mapping[str, str]) -> dict[str, ast.Module]:
    """Modules given as source text, for the tests that show each rule can fail."""
    return {name: ast.parse(source) for name, source in sources.items()}


def imports_of(module: str, tree: ast.Module) -> Iterator[Imported]:
    """Every import anywhere in the module (in functions and TYPE_CHECKING blocks too)."""
    package = module if getattr(tree, "is_package", False) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(alias.name, None)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield Imported(base, alias.name)


def _within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def _forbidden_imports(
    modules: Modules,
    importers: tuple[str, ...],
    forbidden: tuple[str, ...],
    exempt: frozenset[str],
) -> set[str]:
    found = set()
    for module, tree in modules.items():
        if not _within(module, *importers) or module in exempt:
            continue
        for imported in imports_of(module, tree):
            if any(_within(target, *forbidden) for target in imported.targets()):
                found.add(f"{module} -> {imported.module}")
    return found


# Rule 1 -------------------------------------------------------------------------------------
def services_import_no_telegram_or_views(modules: Modules) -> set[str]:
    """Services are plain Python: no aiogram, no views, no Telegram plumbing, no handlers."""
    return _forbidden_imports(
        modules,
        ("bot.services",),
        ("aiogram", "bot.views", "bot.telegram", "handlers"),
        frozenset(),
    )


# No violation today: keep it so.
KNOWN_SERVICES_IMPORTS: set[str] = set()


def test_services_import_no_aiogram_views_telegram_or_handlers() -> None:
    assert_only_known(services_import_no_telegram_or_views(parse_tree()), KNOWN_SERVICES_IMPORTS)


# Rule 2 -------------------------------------------------------------------------------------
# A string literal that starts like a statement: uppercase keywords, as the repositories write.
SQL = re.compile(
    r"\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s"
    r"|CREATE\s+(TABLE|INDEX|UNIQUE|TRIGGER|VIEW)\s|ALTER\s+TABLE\s|DROP\s+(TABLE|INDEX)\s"
    r"|PRAGMA\s|WITH\s+\w+\s+AS\s*\(|BEGIN(\s|$)|COMMIT(\s|$))"
)


def _string_starts(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def sql_outside_db(modules: Modules) -> set[str]:
    """All SQL lives in `bot/db`: a module elsewhere with an SQL literal is a violation."""
    found = set()
    for module, tree in modules.items():
        if _within(module, "bot.db"):
            continue
        for node in ast.walk(tree):
            text = _string_starts(node)
            if text is not None and SQL.match(text):
                found.add(module)
                break
    return found


KNOWN_SQL_OUTSIDE_DB: set[str] = set()


def test_sql_only_in_bot_db() -> None:
    assert_only_known(sql_outside_db(parse_tree()), KNOWN_SQL_OUTSIDE_DB)


# Rule 3 -------------------------------------------------------------------------------------
# aiogram's storage interface is implemented in `bot/db` but belongs to the Telegram side.
DB_ADAPTERS = frozenset({"bot.db.fsm_storage"})


def db_imports_no_upper_layer(modules: Modules) -> set[str]:
    """Repositories know nothing of the services, views or handlers that use them."""
    return _forbidden_imports(
        modules, ("bot.db",), ("bot.services", "bot.views", "handlers"), DB_ADAPTERS
    )


KNOWN_DB_IMPORTS: set[str] = set()


def test_db_imports_no_services_views_or_handlers() -> None:
    assert_only_known(db_imports_no_upper_layer(parse_tree()), KNOWN_DB_IMPORTS)


# Rule 4 -------------------------------------------------------------------------------------
# Handlers that write through a repository in one line, allowed rather than a service that would
# only forward the call: (handler module, repository class).
ONE_LINE_WRITES = frozenset(
    {
        ("handlers.language", "UserRepository"),  # users.set_language
        ("handlers.privacy", "UserRepository"),  # users.delete: "forget me"
        ("handlers.ivf", "UserRepository"),  # users.set_region
        ("handlers.my_region", "UserRepository"),  # users.set_region
        ("handlers.group_chats", "GroupChatRepository"),  # group_chats.mark_notified
    }
)


def handlers_import_no_handler_or_repository(modules: Modules) -> set[str]:
    """Handlers are independent of each other and reach the database only through services.

    Records (`*Record`, the rows a middleware injects) are data, not repositories; the router
    assembly in `handlers/__init__.py` imports every handler by design.
    """
    found = set()
    for module, tree in modules.items():
        if not _within(module, "handlers") or module == "handlers":
            continue
        for imported in imports_of(module, tree):
            if imported.module == "handlers" or _within(imported.module, "handlers"):
                found.add(f"{module} -> {imported.module}")
            elif _within(imported.module, "bot.db"):
                name = imported.name or imported.module
                if name.endswith("Record") or (module, name) in ONE_LINE_WRITES:
                    continue
                found.add(f"{module} -> {imported.module}.{name}")
    return found


# Today's violations, removed as the fixes land (issue 14).
KNOWN_HANDLER_IMPORTS: set[str] = set()


def test_handlers_import_no_other_handler_or_repository() -> None:
    assert_only_known(
        handlers_import_no_handler_or_repository(parse_tree()), KNOWN_HANDLER_IMPORTS
    )


def test_one_line_writes_are_still_used() -> None:
    found_uses = {
        (module, imported.name)
        for module, tree in parse_tree().items()
        if _within(module, "handlers")
        for imported in imports_of(module, tree)
        if _within(imported.module, "bot.db")
    }
    assert found_uses >= ONE_LINE_WRITES, sorted(ONE_LINE_WRITES - found_uses)


# Rule 5 -------------------------------------------------------------------------------------
TRANSLATORS = frozenset({"_", "N_", "__", "gettext", "ngettext", "lazy_gettext"})


def _renders(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in TRANSLATORS)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in TRANSLATORS)
        )
        for node in ast.walk(tree)
    )


def rendering_handlers_without_view(modules: Modules) -> set[str]:
    """A handler that shows a text (a msgid or a call of `_`) has `bot/views/<same name>.py`."""
    return {
        module
        for module, tree in modules.items()
        if _within(module, "handlers")
        and module != "handlers"
        and _renders(tree)
        and "bot.views." + module.rpartition(".")[2] not in modules
    }


KNOWN_HANDLERS_WITHOUT_VIEW: set[str] = set()


def test_every_rendering_handler_has_a_view_module() -> None:
    assert_only_known(rendering_handlers_without_view(parse_tree()), KNOWN_HANDLERS_WITHOUT_VIEW)


# Rule 6 -------------------------------------------------------------------------------------
def app_imports_tests(modules: Modules) -> set[str]:
    """Test doubles stay in `tests/`: the bot never imports them."""
    return _forbidden_imports(modules, ("bot", "handlers"), ("tests",), frozenset())


KNOWN_TEST_IMPORTS: set[str] = set()


def test_nothing_in_the_bot_imports_from_tests() -> None:
    assert_only_known(app_imports_tests(parse_tree()), KNOWN_TEST_IMPORTS)


# Rule 7 -------------------------------------------------------------------------------------
TOP_OF_BOT = frozenset({"__init__", "__main__", "app", "cli", "config", "i18n", "states"})


def stray_modules_at_top_of_bot(folder: Path) -> set[str]:
    """The top of `bot/` is wiring only; everything else sits in a named package."""
    found = set()
    for entry in folder.iterdir():
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not (entry / "__init__.py").exists():
                found.add(entry.name + "/")
        elif entry.suffix != ".py" or entry.stem not in TOP_OF_BOT:
            found.add(entry.name)
    return found


KNOWN_STRAY_MODULES: set[str] = set()


def test_top_of_bot_holds_only_wiring_and_packages() -> None:
    assert_only_known(stray_modules_at_top_of_bot(ROOT / "bot"), KNOWN_STRAY_MODULES)


# Shared -------------------------------------------------------------------------------------
def assert_only_known(found: set[str], known: set[str]) -> None:
    new = found - known
    assert not new, f"breaks the rule: {sorted(new)}"
    fixed = known - found
    assert not fixed, f"fixed (good!): remove from the KNOWN_ list: {sorted(fixed)}"


# Each rule can fail ---------------------------------------------------------------------------
# (rule, modules as source text, the violations it must report): clean modules sit beside the
# bad ones, so a rule that reports too much fails as well.
BAD_SNIPPETS: dict[str, tuple[Callable[[Modules], set[str]], dict[str, str], set[str]]] = {
    "service imports aiogram, views or handlers": (
        services_import_no_telegram_or_views,
        {
            "bot.services.quotas": "from aiogram.types import Message\nimport bot.views.ivf",
            "bot.services.regions": "def load():\n    from handlers import ivf\n",
            "bot.services.clean": "from bot.db.users import UserRepository",
        },
        {
            "bot.services.quotas -> aiogram.types",
            "bot.services.quotas -> bot.views.ivf",
            "bot.services.regions -> handlers",
        },
    ),
    "SQL outside bot/db": (
        sql_outside_db,
        {
            "bot.jobs.cleanup": 'QUERY = "DELETE FROM users WHERE id = ?"',
            "handlers.stats": 'def q(t):\n    return f"SELECT count(*) FROM {t}"',
            "bot.db.users": 'QUERY = "SELECT id FROM users"',
            "bot.views.core": 'TEXT = "Select your region" + "Delete my data"',
        },
        {"bot.jobs.cleanup", "handlers.stats"},
    ),
    "repository imports a service or a view": (
        db_imports_no_upper_layer,
        {
            "bot.db.users": "from bot.services.regions import Region",
            "bot.db.stats": "from ..views import core",
            "bot.db.fsm_storage": "from bot.services.language import Locale",
        },
        {"bot.db.users -> bot.services.regions", "bot.db.stats -> bot.views"},
    ),
    "handler imports a handler or a repository": (
        handlers_import_no_handler_or_repository,
        {
            "handlers.questions": "from handlers.my_region import ask_region",
            "handlers.ivf": "from . import start",
            "handlers.staff": "from bot.db.stats import StatsRepository, StatsRecord",
            "handlers.language": "from bot.db.users import UserRepository",
            "handlers": "from handlers import ivf, questions",
        },
        {
            "handlers.questions -> handlers.my_region",
            "handlers.ivf -> handlers",
            "handlers.staff -> bot.db.stats.StatsRepository",
        },
    ),
    "rendering handler without a view": (
        rendering_handlers_without_view,
        {
            "handlers.help": 'HELP = N_("What I can do")',
            "handlers.ivf": 'async def f(m):\n    await m.answer(_("Hello"))',
            "bot.views.ivf": 'TITLE = N_("IVF")',
            "handlers.errors": "async def f(event):\n    return True",
        },
        {"handlers.help"},
    ),
    "bot imports tests": (
        app_imports_tests,
        {
            "bot.console.session": "from tests.support.telegram import RulesSession",
            "handlers.start": "import tests",
            "bot.app": "from bot.console.session import LocalSession",
        },
        {"bot.console.session -> tests.support.telegram", "handlers.start -> tests"},
    ),
}


@pytest.mark.parametrize("case", BAD_SNIPPETS)
def test_checker_catches_a_bad_snippet(case: str) -> None:
    rule, sources, expected = BAD_SNIPPETS[case]
    assert rule(parse_snippets(sources)) == expected


def test_checker_catches_a_stray_module_at_the_top_of_bot(tmp_path: Path) -> None:
    for name in ("__init__.py", "app.py", "states.py", "ivf_views.py", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "__init__.py").write_text("")
    (tmp_path / "data").mkdir()
    assert stray_modules_at_top_of_bot(tmp_path) == {"ivf_views.py", "notes.txt", "data/"}


def test_a_fixed_violation_left_in_the_known_list_fails() -> None:
    try:
        assert_only_known(set(), {"bot.services.quotas -> aiogram"})
    except AssertionError as error:
        assert "remove from the KNOWN_ list" in str(error)
    else:
        raise AssertionError("a stale KNOWN_ entry passed")
