"""The match CLI (exit codes, output) and who may open the matching pages."""

from __future__ import annotations

import json


def test_match_run_export_and_publish_from_the_command_line(app, seeded, runner, tmp_path, outbox):
    result = runner.invoke(args=["match", "run", str(seeded.round_id), "--time-limit", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "score" in result.output and "finished" in result.output
    path = tmp_path / "problem.json"
    result = runner.invoke(args=["match", "export", str(seeded.round_id), "-o", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    assert data["version"] == 1.1 and len(data["participants"]) == 11
    result = runner.invoke(args=["match", "publish", str(seeded.round_id)])
    assert result.exit_code == 0 and "2 sessions created" in result.output
    sent = len(outbox())
    result = runner.invoke(args=["match", "publish", str(seeded.round_id)])
    assert result.exit_code == 0 and "0 sessions created" in result.output and len(outbox()) == sent


def test_bad_input_exits_2_with_one_line_per_problem(app, seeded, make_round, runner):
    result = runner.invoke(args=["match", "run", "999"])
    assert result.exit_code == 2 and result.output.strip() == "round 999: no such round"
    draft_round = make_round(status="draft")
    result = runner.invoke(args=["match", "run", str(draft_round), "--time-limit", "0"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 2
    result = runner.invoke(args=["match", "publish", str(seeded.round_id)])
    assert result.exit_code == 2 and "no draft to publish" in result.output
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        db.session.get(Round, seeded.round_id).max_parallel_sessions = -1  # a rule no form allows
        db.session.commit()
    result = runner.invoke(args=["match", "export", str(seeded.round_id)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["rules.max_parallel_sessions: must be >= 0, got -1"]


def test_only_organisers_reach_matching_and_ids_of_other_rounds_are_404(
    app, client, seeded, make_round, run_round, make_user, sign_in, organiser
):
    run_id = run_round(seeded.round_id)
    base = f"/organiser/rounds/{seeded.round_id}/matching"
    creative = make_user("creative")
    sign_in(creative)
    for path in (base + "/", base + f"/runs/{run_id}", base + f"/runs/{run_id}/progress.json", base + "/drafts/1"):
        assert client.get(path).status_code == 403
    other = make_round()
    fresh = app.test_client()
    from tests.helpers import csrf_token

    html = fresh.get("/account/sign-in").get_data(as_text=True)
    fresh.post(
        "/account/sign-in",
        data={"csrf_token": csrf_token(html), "email": organiser.email, "password": "correct-horse-battery-staple"},
    )
    assert fresh.get(base + "/").status_code == 200
    assert fresh.get(base + f"/runs/{run_id}").status_code == 200
    state = fresh.get(base + f"/runs/{run_id}/progress.json").get_json()
    assert state["status"] == "finished" and state["points"] and state["draft_url"].endswith("/drafts/1")
    assert state["gap"] is not None and state["score"] == state["points"][-1][1]
    other_base = f"/organiser/rounds/{other}/matching"
    for path in (
        other_base + f"/runs/{run_id}",
        other_base + f"/runs/{run_id}/progress.json",
        other_base + "/drafts/1",
        other_base + "/drafts/1/sessions/S1",
        "/organiser/rounds/999/matching/",
    ):
        assert fresh.get(path).status_code == 404, path
