"""The run page in people's terms: sessions built, people and bookings placed by condition; the score as a detail."""

from __future__ import annotations

import re


def test_a_finished_run_shows_sessions_people_and_bookings_by_condition(
    app, client, seeded, run_round, organiser, sign_in
):
    from matchmaker.extensions import db
    from matchmaker.models import MatchRun

    run_id = run_round(seeded.round_id)
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        sessions = len(run.plan["sessions"])
        placed = len({p for s in run.plan["sessions"] for p in s["participants"]})
        registered = len(run.problem["participants"])
        served = sum(1 for s in run.plan["sessions"] if s["booking"])
        points = len(run.progress)
    sign_in(organiser)
    base = f"/organiser/rounds/{seeded.round_id}/matching/runs/{run_id}"
    html = client.get(base).get_data(as_text=True)
    assert re.search(rf"Sessions built\s*</dt>\s*<dd[^>]*>\s*{sessions}\s*<", html)
    assert re.search(rf"People placed\s*</dt>\s*<dd[^>]*>\s*{placed} of {registered}\s*<", html)
    assert re.search(rf"Bookings served\s*</dt>\s*<dd[^>]*>\s*{served} of 1\s*<", html)
    stroke = re.search(r'<th scope="row" class="govuk-table__header">Stroke</th>(.*?)</tr>', html, re.S).group(1)
    assert f">{sessions}<" in stroke and f"{placed} of " in stroke
    assert "Solver details: score, bound and gap" in html  # the score is a detail, behind a disclosure
    summary = "better plan found in" if points == 1 else "better plans found in"
    assert summary in html and "<desc id=\"run-chart-desc\">" in html
    assert ">Seconds</text>" in html and ">Score</text>" in html  # the chart's axes are named
    state = client.get(base + "/progress.json").get_json()
    assert summary in state["summary"]
