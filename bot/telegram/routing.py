"""Route guards: a router is entered only when one of its handlers could take the update.

aiogram tries the routers in order and, inside each, every handler's filters, copying the
whole dependency dict at each step: a `/help` walked 15 routers and 54 filters before its
handler, most of the bot's time per update (bench/dispatch_overhead.py). A guard runs first,
in plain code without awaiting, the filters whose answer the update alone gives (commands,
button labels, FSM states, magic filters, callback-data prefixes); it skips the router only
when every handler and sub-router would refuse. The order of routers still decides who answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from inspect import isclass
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import REJECTED, UNHANDLED
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.filters.logic import _InvertFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.telegram.filters import ButtonText

# What a check sees: the event and the data aiogram hands to filters (raw_state, i18n, …).
Check = Callable[[TelegramObject, dict[str, Any]], bool]
# The hot kinds of update; others (joins, errors) are rare and walk as aiogram walks them.
GUARDED_EVENTS = ("message", "edited_message", "callback_query")


def guard_routers(root: Router) -> None:
    """Put a guard in front of every router under `root`. Call after every router is included
    and before the filters are changed (bot.app.run_sync_filters_inline wraps them)."""
    computed: dict[tuple[int, str], Check | None] = {}
    guards: dict[Router, dict[str, Check]] = {}
    for router in _descendants(root):
        checks = {
            event_name: check
            for event_name in GUARDED_EVENTS
            if (check := _router_check(router, event_name, computed)) is not None
        }
        if checks:
            guards[router] = checks
    for router in (root, *_descendants(root)):
        _guard_sub_routers(router, guards)


def _guard_sub_routers(router: Router, guards: dict[Router, dict[str, Check]]) -> None:
    # In place of aiogram's Router._propagate_event, the same steps with less machinery: every
    # call of a router's propagate_event copies the whole dependency dict (some 50 entries)
    # and builds its middleware chain. A refused sub-router costs one plain check here; an
    # entered one that has a check has no outer middleware for the event (see _router_check),
    # so it is entered straight; root filters and handlers are asked only where there are any.
    sub_routers = [(sub_router, guards.get(sub_router, {})) for sub_router in router.sub_routers]

    async def propagate_event(
        observer: TelegramEventObserver | None,
        update_type: str,
        event: TelegramObject,
        **kwargs: Any,
    ) -> Any:
        if observer:
            if observer._handler.filters:  # the router's own filter(): on few routers
                result, data = await observer.check_root_filters(event, **kwargs)
                if not result:
                    return UNHANDLED
                kwargs.update(data)
            if observer.handlers:
                response = await observer.trigger(event, **kwargs)
                if response is REJECTED:  # pragma: no cover - as aiogram: only a handler's own
                    return UNHANDLED
                if response is not UNHANDLED:
                    return response
        for sub_router, checks in sub_routers:
            check = checks.get(update_type)
            if check is None:
                response = await sub_router.propagate_event(
                    update_type=update_type, event=event, **kwargs
                )
            elif not check(event, kwargs):
                continue
            else:
                kwargs["event_router"] = sub_router  # as Router.propagate_event sets it
                response = await sub_router._propagate_event(
                    sub_router.observers.get(update_type), update_type, event, **kwargs
                )
            if response is not UNHANDLED:
                return response
        return UNHANDLED

    router._propagate_event = propagate_event  # type: ignore[method-assign]


def _descendants(router: Router) -> list[Router]:
    found = []
    for sub_router in router.sub_routers:
        found.append(sub_router)
        found.extend(_descendants(sub_router))
    return found


def _router_check(
    router: Router, event_name: str, checks: dict[tuple[int, str], Check | None]
) -> Check | None:
    """What `router` may take, or None when that cannot be told without entering it."""
    key = (id(router), event_name)
    if key in checks:
        return checks[key]
    observer = router.observers[event_name]
    check: Check | None = None
    # A router's own outer middlewares run even when no handler matches: never skip them.
    if not len(observer.outer_middleware):
        alternatives = [_known_checks(handler.filters or []) for handler in observer.handlers]
        for sub_router in router.sub_routers:
            sub_check = _router_check(sub_router, event_name, checks)
            alternatives.append([] if sub_check is None else [sub_check])
        root_checks = _known_checks(observer._handler.filters or [])  # the router's filter()
        check = _compose(root_checks, alternatives)
    checks[key] = check
    return check


def _compose(root_checks: list[Check], alternatives: list[list[Check]]) -> Check | None:
    if any(not checks for checks in alternatives):
        # Some handler has no filter known here: it may take anything the root filters let in.
        if not root_checks:
            return None
        alternatives = [[]]

    def may_take(event: TelegramObject, data: dict[str, Any]) -> bool:
        for check in root_checks:
            if not check(event, data):
                return False
        for checks in alternatives:
            for check in checks:
                if not check(event, data):
                    break
            else:
                return True
        return False

    return may_take


def _known_checks(filters: Sequence[FilterObject]) -> list[Check]:
    known = [check for check in map(_known_check, filters) if check is not None]
    # All must pass and none has side effects: the cheapest refusals first.
    known.sort(key=lambda check: check.cost)
    return [check.check for check in known]


@dataclass(frozen=True, slots=True)
class KnownCheck:
    check: Check
    # Exact: passes only when the filter passes, so its negation is a check too.
    exact: bool
    cost: int


def _known_check(filter_object: FilterObject) -> KnownCheck | None:
    """A plain check that passes whenever the filter may pass; None: not known here."""
    if filter_object.magic is not None:
        magic = filter_object.magic
        return KnownCheck(lambda event, _data: bool(magic.resolve(event)), exact=True, cost=3)
    target = filter_object.callback
    if isinstance(target, ButtonText):
        return KnownCheck(lambda event, data: target.matches(event, data["i18n"]), True, cost=1)
    if isinstance(target, State | StateFilter):
        return _state_check(target)
    if isinstance(target, Command):
        return _command_check(target)
    if isinstance(target, CallbackQueryFilter):
        return _callback_data_check(target)
    if isinstance(target, _InvertFilter):
        inner = _known_check(target.target)
        if inner is not None and inner.exact:
            inner_check = inner.check
            return KnownCheck(lambda event, data: not inner_check(event, data), True, inner.cost)
    return None


def _state_check(target: State | StateFilter) -> KnownCheck:
    # aiogram's StateFilter.__call__ and State.__call__, resolved once into names.
    names: set[str | None] = set()
    for state in (target,) if isinstance(target, State) else target.states:
        if isinstance(state, State):
            names.add(state.state)
        elif isinstance(state, StatesGroup):
            names.update(type(state).__all_states_names__)
        elif isclass(state) and issubclass(state, StatesGroup):
            names.update(state.__all_states_names__)
        else:
            names.add(state)
    if "*" in names:
        return KnownCheck(lambda _event, _data: True, exact=True, cost=0)
    allowed = frozenset(names)
    return KnownCheck(lambda _event, data: data.get("raw_state") in allowed, True, cost=0)


def _command_check(command: Command) -> KnownCheck:
    # Command.__call__ without its awaited parts: the @mention and a magic may still refuse.
    if any(not isinstance(name, str) for name in command.commands):  # a regular expression
        return KnownCheck(lambda event, _data: isinstance(event, Message), False, cost=2)
    names = frozenset(command.commands)
    prefixes = command.prefix
    ignore_case = command.ignore_case

    def may_be_command(event: TelegramObject, _data: dict[str, Any]) -> bool:
        if not isinstance(event, Message):
            return False
        words = (event.text or event.caption or "").split(maxsplit=1)
        if not words or words[0][0] not in prefixes:
            return False
        name = words[0][1:].partition("@")[0]
        return (name.casefold() if ignore_case else name) in names

    return KnownCheck(may_be_command, exact=False, cost=2)


def _callback_data_check(target: CallbackQueryFilter) -> KnownCheck:
    # CallbackData.unpack refuses any other prefix before it reads the fields.
    prefix = target.callback_data.__prefix__
    separator = target.callback_data.__separator__

    def has_prefix(event: TelegramObject, _data: dict[str, Any]) -> bool:
        if not isinstance(event, CallbackQuery) or not event.data:
            return False
        return event.data.partition(separator)[0] == prefix

    return KnownCheck(has_prefix, exact=False, cost=2)
