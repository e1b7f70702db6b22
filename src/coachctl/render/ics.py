"""Schedule events as an iCalendar file (RFC 5545) any calendar application opens.

UIDs come from the programme and the event's identity, and DTSTAMP from the
data, so exporting twice gives identical bytes and re-importing updates
events instead of duplicating them. Times are in Europe/London, with the
VTIMEZONE the file needs. An event that concerns some people (a pair's feedback
meeting, a Teach Meet's coaches) lists them as ATTENDEEs by name; staff.yaml holds no
e-mail addresses, so each is addressed ``urn:coachctl:CALENDAR-ID:STAFF-ID``, which no
calendar application sends an invitation to. One person's calendar (``for_person``) lists
of a Teach Meet's coaches only that person (:meth:`coachctl.schedule.Event.listed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from coachctl import __version__
from coachctl.schedule import TZID, Event


def one_line(text: str) -> str:
    """Text from the programme's files (the school's or a term's name) as one clean line:
    a folded or multi-line YAML value, tabs or control characters never reach the file."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def uid(event: Event, calendar_id: str) -> str:
    return f"{event.key}.{calendar_id}@coachctl"


def to_ics(events: Sequence[Event], *, calendar_id: str, name: str, stamp: dt.datetime,
           names: Mapping[str, str] | None = None, for_person: str | None = None) -> bytes:
    """The calendar; ``names`` maps staff ids to the names shown for attendees;
    ``for_person``: one person's calendar (see above)."""
    import icalendar

    names = names or {}

    def who(staff_id: str) -> str:
        return one_line(names.get(staff_id, staff_id))

    tz = ZoneInfo(TZID)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//coachctl//coachctl {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", one_line(name))
    cal.add("x-wr-timezone", TZID)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", uid(e, calendar_id))
        ev.add("dtstamp", stamp)
        if isinstance(e.start, dt.datetime) and isinstance(e.end, dt.datetime):
            ev.add("dtstart", e.start.replace(tzinfo=tz))
            ev.add("dtend", e.end.replace(tzinfo=tz))
        else:
            ev.add("dtstart", e.start)
            ev.add("dtend", e.end + dt.timedelta(days=1))  # DTEND of a date is exclusive
            ev.add("transp", "TRANSPARENT")
        ev.add("summary", one_line(e.title) + (" (planned)" if e.status == "planned" else ""))
        ev.add("categories", [e.kind])
        ev.add("status", "TENTATIVE" if e.status == "planned" else "CONFIRMED")
        if e.coach and e.coachee:
            ev.add("description", f"Coach: {who(e.coach)} ({e.coach})\n"
                                  f"Coachee: {who(e.coachee)} ({e.coachee})")
        for person in e.listed(for_person):
            ev.add("attendee", f"urn:coachctl:{calendar_id}:{person}",
                   parameters={"CN": who(person), "CUTYPE": "INDIVIDUAL",
                               "ROLE": "REQ-PARTICIPANT"})
        cal.add_component(ev)
    if events:
        days = [e.start.date() if isinstance(e.start, dt.datetime) else e.start for e in events]
        cal.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366),
                                  last_date=max(days) + dt.timedelta(days=366))
    return bytes(cal.to_ical())


def person_calendar(data: bytes, *, school: str, staff_id: str) -> bool:
    """Whether ``data`` is a calendar coachctl wrote as ``staff_id``'s (``to_ics`` with
    ``for_person``) for ``school``, in any year: coachctl's PRODID, named ``SCHOOL coaching
    YEAR (NAME)``, and every event that lists people lists ``staff_id`` (a per-person
    calendar lists its person on each). Anything else (a file a person put there, the
    school's whole calendar, another school's, a file that does not parse) is not."""
    if not data.startswith(b"BEGIN:VCALENDAR") or b"\nPRODID:-//coachctl//coachctl " not in data:
        return False
    import icalendar

    try:
        cal = icalendar.Calendar.from_ical(data)
        name, prodid = str(cal.get("X-WR-CALNAME", "")), str(cal.get("PRODID", ""))
        events = list(cal.walk("VEVENT"))
    except Exception:  # whatever a file that is not ours does to the parser: not ours
        return False
    head = one_line(school) + " coaching "
    if not (prodid.startswith("-//coachctl//coachctl ") and name.startswith(head)
            and name.endswith(")")):
        return False
    for event in events:
        listed = event.get("ATTENDEE", [])
        listed = listed if isinstance(listed, list) else [listed]
        ids = {str(a).rsplit(":", 1)[-1] for a in listed if str(a).startswith("urn:coachctl:")}
        if listed and staff_id not in ids:
            return False
    return True
