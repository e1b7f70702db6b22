"""A date that remembers the span of days on which a computation would have gone the same way.

``qa`` depends on the date it runs as (which cycles have started or ended, which
half term it is, who is on the staff), but only through comparisons with dates
held in the programme. Running it with a :class:`WatchedDate` records every such
comparison and narrows :attr:`~WatchedDate.span` to the days that compare alike
with all of them, so its answer can be reused on any day in that span: a warm
``qa`` on another day of the same half term, between the same cycle dates, still
hits. Any other use of the date (printing it, arithmetic, hashing, reading its
year) pins the span to the one day, so a use this class cannot follow is never
generalised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_SPLIT = {"__lt__": 0, "__le__": 1, "__gt__": 1, "__ge__": 0}
"""op -> s: whether ``day OP other`` holds changes only between other + s - 1 and other + s."""


class WatchedDate(dt.date):
    __slots__ = ("_hi", "_lo")
    _lo: int
    _hi: int

    def __new__(cls, year: int, month: int, day: int) -> WatchedDate:
        self = super().__new__(cls, year, month, day)
        self._lo, self._hi = 1, dt.date.max.toordinal()
        return self

    @classmethod
    def of(cls, day: dt.date) -> WatchedDate:
        return cls(day.year, day.month, day.day)

    @property
    def span(self) -> tuple[int, int]:
        """The first and last day (as ordinals) on which every use so far gives the same result."""
        return self._lo, self._hi

    def _split(self, at: int) -> None:
        """Narrow the span to the side of ``at`` (days before it, or from it on) this day is on."""
        if dt.date.toordinal(self) >= at:
            self._lo = max(self._lo, at)
        else:
            self._hi = min(self._hi, at - 1)

    def _pin(self) -> None:
        self._lo = self._hi = dt.date.toordinal(self)

    def _compare(self, op: str, other: Any) -> Any:
        result = getattr(dt.date, op)(self, other)
        if result is NotImplemented or isinstance(other, dt.datetime):
            return result
        if op in _SPLIT:
            self._split(other.toordinal() + _SPLIT[op])
        else:  # == or !=: the same answer on this side of ``other``, or on ``other`` alone
            self._split(other.toordinal())
            self._split(other.toordinal() + 1)
        return result

    def __lt__(self, other: Any) -> Any:
        return self._compare("__lt__", other)

    def __le__(self, other: Any) -> Any:
        return self._compare("__le__", other)

    def __gt__(self, other: Any) -> Any:
        return self._compare("__gt__", other)

    def __ge__(self, other: Any) -> Any:
        return self._compare("__ge__", other)

    def __eq__(self, other: Any) -> Any:
        return self._compare("__eq__", other)

    def __ne__(self, other: Any) -> Any:
        return self._compare("__ne__", other)


def _pinning(name: str) -> Any:
    plain = getattr(dt.date, name)
    if hasattr(plain, "__get__") and not callable(plain):  # year, month, day
        def get(self: WatchedDate) -> Any:
            self._pin()
            return plain.__get__(self)
        return property(get)

    def use(self: WatchedDate, *args: Any, **kwargs: Any) -> Any:
        self._pin()
        return plain(self, *args, **kwargs)
    use.__name__ = name
    return use


for _name in ("year", "month", "day", "__hash__", "__str__", "__repr__", "__format__",
              "__add__", "__radd__", "__sub__", "__rsub__", "__reduce__", "__reduce_ex__",
              "isoformat", "strftime", "ctime", "timetuple", "toordinal", "weekday",
              "isoweekday", "isocalendar", "replace"):
    setattr(WatchedDate, _name, _pinning(_name))
