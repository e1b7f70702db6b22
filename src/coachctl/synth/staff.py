"""A school's staff: made-up names and ids, roles, departments, who has coached since when.

A school's people are drawn once (:func:`new_staff`) and carried over from
year to year; :func:`next_year` is the summer's turnover. Who coaches whom
each year is ``pairings``'s job.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Aisha", "Alice", "Amara", "Amelia", "Amir", "Andrew", "Anna", "Aaron", "Beth", "Bilal",
    "Carys", "Catherine", "Chloe", "Ciaran", "Claire", "Daniel", "Deborah", "Declan", "Dylan",
    "Eleanor", "Elif", "Ellie", "Eilidh", "Fatima", "Fiona", "Gareth", "Georgia", "Grace",
    "Hannah", "Harriet", "Hamza", "Helen", "Imran", "Isla", "Jack", "Jamal", "Jasmine", "Joanne",
    "Jonathan", "Kamala", "Karen", "Katie", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Mariam",
    "Mark", "Martha", "Megan", "Michael", "Mohammed", "Naomi", "Nathan", "Niamh", "Nikhil",
    "Oliver", "Olivia", "Owen", "Priya", "Rachel", "Rebecca", "Reuben", "Rhys", "Rosa", "Ruth",
    "Ryan", "Saira", "Samuel", "Sarah", "Sean", "Sian", "Simon", "Sophie", "Stephen", "Tariq",
    "Thomas", "Tobias", "Usman", "Victoria", "Wiktoria", "Yasmin", "Zainab", "Zoe",
)
LAST_NAMES = (
    "Adeyemi", "Ahmed", "Akhtar", "Allen", "Anderson", "Armstrong", "Bailey", "Baker", "Begum",
    "Bennett", "Brennan", "Brooks", "Campbell", "Carter", "Chaudhry", "Chen", "Clarke", "Collins",
    "Cooper", "Dawson", "Doherty", "Edwards", "Ellis", "Evans", "Farrell", "Fletcher", "Foster",
    "Gallagher", "Gill", "Graham", "Green", "Griffiths", "Hall", "Harper", "Hartley", "Hughes",
    "Hussain", "Iqbal", "Jenkins", "Kaur", "Kelly", "Kennedy", "Khan", "Kowalski", "Lawson",
    "Lloyd", "Lowe", "Macdonald", "Mahmood", "Marsh", "Mensah", "Mitchell", "Morgan", "Morris",
    "Murphy", "Nowak", "Nwosu", "O'Connor", "O'Neill", "Okafor", "Osei", "Owens", "Parry",
    "Patel", "Pearson", "Phillips", "Powell", "Price", "Quinn", "Rahman", "Reid", "Rees",
    "Richards", "Riley", "Robertson", "Saunders", "Shah", "Sharma", "Shaw", "Singh", "Stewart",
    "Sutton", "Thomas", "Thornton", "Turner", "Vaughan", "Wallace", "Walsh", "Ward", "Webb",
    "Wells", "Whitfield", "Wilkinson", "Wong", "Wright", "Yates", "Young", "Zielinski",
)


DEPARTMENTS = (("English", 16), ("MFL", 8), ("Humanities", 14), ("Maths", 16), ("Science", 18),
               ("Computing", 5), ("Arts", 8), ("PE", 7), ("SEND", 6))
"""Teaching departments and their weight; neighbours are related (for reciprocal pairs)."""
DEPARTMENT_ORDER = {name: i for i, (name, _) in enumerate(
    (("Leadership", 0), *DEPARTMENTS, ("Learning Support", 0)))}


@dataclass(eq=False)
class Person:
    """One member of staff as the generator tracks them from year to year."""

    id: str
    name: str
    role: str
    department: str
    joined: dt.date
    mentor: str | None = None
    coach_since: int | None = None
    """The school year this person first coached (new coach in that year)."""
    expert: bool = False
    left: dt.date | None = None
    carry: str | None = None
    """The step they were on at the end of last year."""

    def active(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day <= self.left)


class Names:
    """Unique staff names and ids within one school, across its years."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.ids: set[str] = set()

    def new(self) -> tuple[str, str]:
        """A name not yet used at the school, and an id made from it (numbered if taken)."""
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            if name not in self.names:
                break
        self.names.add(name)
        base = "".join(ch for ch in (first[0] + last).lower() if ch.isalnum())
        pid, n = base, 1
        while pid in self.ids:
            n += 1
            pid = f"{base}{n}"
        self.ids.add(pid)
        return pid, name


def _department(rng: random.Random) -> str:
    return rng.choices([d for d, _ in DEPARTMENTS], weights=[w for _, w in DEPARTMENTS])[0]


def new_person(rng: random.Random, names: Names, role: str, start_year: int,
                department: str | None = None, experienced: bool = True) -> Person:
    pid, name = names.new()
    if role == "senior-leader":
        department = "Leadership"
    elif role == "support":
        department = "Learning Support"
    years = rng.randint(1, 18) if experienced and role != "ect" else 0
    person = Person(pid, name, role, department or _department(rng),
                    dt.date(start_year - years, 9, 1))
    if experienced and role != "ect" and rng.random() > 0.06:
        person.coach_since = start_year - rng.randint(1, max(1, years))
    return person


def new_staff(rng: random.Random, names: Names, n: int, start_year: int) -> list[Person]:
    """A school's staff: ~8% senior leaders, ~20% middle leaders, ~8% ECTs, a few support."""
    senior = max(2, round(n * 0.08))
    middle = max(2, round(n * 0.2))
    ects = max(1, round(n * 0.08))
    support = max(1, round(n * 0.04))
    staff = [new_person(rng, names, "senior-leader", start_year) for _ in range(senior)]
    staff[0].coach_since = start_year - 4  # the lead coach
    depts = [d for d, _ in DEPARTMENTS]
    staff += [new_person(rng, names, "middle-leader", start_year, depts[i % len(depts)])
              for i in range(middle)]
    staff += [new_person(rng, names, "ect", start_year, experienced=False) for _ in range(ects)]
    staff += [new_person(rng, names, "support", start_year) for _ in range(support)]
    staff += [new_person(rng, names, "teacher", start_year)
              for _ in range(n - senior - middle - ects - support)]
    return staff


def is_experienced(p: Person, start_year: int) -> bool:
    """A teacher or middle leader of three years or more here: can mentor or coach experts."""
    return p.role in ("teacher", "middle-leader") and p.joined.year <= start_year - 3


def next_year(rng: random.Random, names: Names, staff: list[Person],
              start_year: int) -> list[Person]:
    """Turnover over the summer: leavers go, ECTs finish induction, joiners arrive."""
    lead = staff[0]
    stay = [p for p in staff if p.left is None and (p is lead or rng.random() > 0.08)]
    for p in stay:
        if p.role == "ect":
            p.role, p.mentor = "teacher", None
    joiners: list[Person] = []
    for gone in (p for p in staff if p not in stay):
        role = "ect" if gone.role in ("ect", "teacher") and rng.random() < 0.4 else gone.role
        joiner = new_person(rng, names, role, start_year, gone.department,
                            experienced=role != "ect")
        joiner.joined = dt.date(start_year, 9, 1)
        if role != "ect" and joiner.coach_since is not None:
            joiner.coach_since = min(joiner.coach_since, start_year - 1)
        joiners.append(joiner)
    return stay + joiners
