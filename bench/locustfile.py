"""Locust journeys for `make bench-load` (bench/load.py writes the plan this file reads: BENCH_LOAD_PLAN).

Four roles, weighted roughly as a programme's people are: creatives (browse their sessions, answer an
invitation), link workers (join a session, browse the directory), commissioners (their sessions and
bookings, the booking and interest forms) and one organiser (the round overview, the matching page
and a draft). Each simulated person signs in once, when Locust starts them (users start at --spawn-rate,
so sign-ins are spread over the ramp-up), then repeats their journey with 1-3 s of think time.
Requests are named by page, not by URL, so the figures come out per page.
"""

from __future__ import annotations

import json
import os
import random
import re
from itertools import count
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read()) if "BENCH_LOAD_PLAN" in os.environ else {}
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_next = {role: count() for role in ("creative", "link_worker", "commissioner", "organiser")}


def _csrf(html: str) -> str:
    """The first CSRF token in a page ('' if none)."""
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Person(HttpUser):
    """A signed-in person of one role (abstract: the roles below)."""

    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self) -> None:
        """Sign in as the next person of this role (each simulated user is a different account)."""
        people = PLAN["people"][self.role]
        self.email = people[next(_next[self.role]) % len(people)]
        page = self.client.get("/account/sign-in", name="sign-in (form)")
        response = self.client.post(
            "/account/sign-in",
            data={"csrf_token": _csrf(page.text), "email": self.email, "password": PLAN["password"]},
            name="sign-in (POST, argon2)",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"sign-in refused: {response.status_code}")


class Creative(Person):
    """Browses their sessions and answers an invitation."""

    weight = 12
    role = "creative"

    @task(4)
    def my_sessions(self) -> None:
        page = self.client.get("/sessions", name="/sessions")
        ids = re.findall(r'/sessions/(\d+)/accept"', page.text)
        if ids and random.random() < 0.3:
            self.client.post(
                f"/sessions/{random.choice(ids)}/accept",
                data={"csrf_token": _csrf(page.text)},
                name="/sessions/<id>/accept (POST)",
            )

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")


class LinkWorker(Person):
    """Looks for a session to join, browses the directory."""

    weight = 4
    role = "link_worker"

    @task(3)
    def join(self) -> None:
        page = self.client.get("/join", name="/join")
        ids = re.findall(r'action="/join/(\d+)"', page.text)
        if ids and random.random() < 0.1:
            self.client.post(
                f"/join/{random.choice(ids)}", data={"csrf_token": _csrf(page.text)}, name="/join/<id> (POST)"
            )

    @task(2)
    def directory(self) -> None:
        self.client.get("/directory", name="/directory")
        self.client.get(f"/directory?page={random.randint(1, 5)}", name="/directory?page=n")

    @task(1)
    def my_sessions(self) -> None:
        self.client.get("/sessions", name="/sessions")


class Commissioner(Person):
    """Their sessions and bookings; the booking and interest forms."""

    weight = 3
    role = "commissioner"

    @task(3)
    def my_sessions(self) -> None:
        self.client.get("/sessions", name="/sessions")

    @task(2)
    def bookings(self) -> None:
        self.client.get("/bookings/", name="/bookings/")

    @task(1)
    def forms(self) -> None:
        round_id = PLAN["round_id"]
        self.client.get(f"/bookings/rounds/{round_id}/new", name="/bookings/rounds/<id>/new")
        self.client.get(f"/rounds/{round_id}/interest", name="/rounds/<id>/interest")


class Organiser(Person):
    """The round overview, the matching page and a draft: one organiser (a programme has a few, not 5%)."""

    fixed_count = 1
    role = "organiser"

    @task(2)
    def overview(self) -> None:
        self.client.get(f"/organiser/rounds/{PLAN['round_id']}/overview", name="organiser: round overview")

    @task(2)
    def matching(self) -> None:
        self.client.get(f"/organiser/rounds/{PLAN['round_id']}/matching/", name="organiser: matching page")

    @task(1)
    def draft(self) -> None:
        r, v = PLAN["round_id"], PLAN["draft_version"]
        self.client.get(f"/organiser/rounds/{r}/matching/drafts/{v}", name="organiser: draft")

    @task(2)
    def accounts(self) -> None:
        self.client.get("/organiser/accounts", name="organiser: accounts")
        self.client.get("/organiser/outbox", name="organiser: outbox")
