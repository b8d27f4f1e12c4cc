"""The order in which KPIs are computed: each after the KPIs it uses in the same period."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from metrics.engine.formula import FormulaError
from metrics.engine.text import gettext_lazy as _
from metrics.engine.text import lazy_format


class CycleError(FormulaError):
    """KPIs that depend on each other in a circle; ``cycle`` lists them, first one repeated last."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            lazy_format(
                _("These KPIs depend on each other in a circle: %(cycle)s"),
                {"cycle": " → ".join(self.cycle)},
            )
        )


def dependency_order(codes: Iterable[str], uses: Callable[[str], list[str]]) -> list[str]:
    """``codes`` ordered so each comes after those it ``uses``; CycleError on a circle."""
    done: set[str] = set()
    order: list[str] = []
    for root in codes:
        if root in done:
            continue
        # Iterative depth-first search: a long chain of KPIs must not hit the recursion limit.
        path = [root]
        on_path = {root}
        stack = [iter(uses(root))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                order.append(finished)
            elif following in on_path:
                raise CycleError([*path[path.index(following) :], following])
            elif following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(iter(uses(following)))
    return order


def needed_by(codes: Iterable[str], uses: Callable[[str], list[str]]) -> set[str]:
    """``codes`` and every code they use, directly or through others."""
    needed: set[str] = set()
    pending = list(codes)
    while pending:
        code = pending.pop()
        if code not in needed:
            needed.add(code)
            pending += uses(code)
    return needed
