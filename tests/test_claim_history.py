"""The first commit of each claim comes from git history, per id and per template pattern."""

import subprocess

from ibcore.claim_history import claim_dates


def git(cwd, *args, date="2026-01-01 12:00"):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def short(cwd):
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=cwd, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_first_commit_per_id_template_and_file(tmp_path):
    git(tmp_path, "init", "-q")
    claims = tmp_path / "claims.toml"
    claims.write_text('[[claims]]\nid = "a"\n')
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "c1")
    first = short(tmp_path)
    claims.write_text('[[claims]]\nid = "a"\nabs_tol = 2\n[[claims]]\nid = "b"\n'
                      '[[claim_templates]]\nid = "{x}_cell_{y}"\n')
    git(tmp_path, "commit", "-qam", "c2", date="2026-01-02 12:00")
    second = short(tmp_path)
    dates = claim_dates(claims, ["a", "b", "p_cell_q", "unknown"])
    assert dates["a"] == f"2026-01-01 ({first})"  # a later edit does not move it
    assert dates["b"] == dates["p_cell_q"] == f"2026-01-02 ({second})"
    assert dates["unknown"] == f"2026-01-01 ({first})"  # falls back to the file's first commit


def test_no_history_says_so(tmp_path):
    claims = tmp_path / "claims.toml"
    claims.write_text('id = "a"\n')
    assert claim_dates(claims, ["a"]) == {"a": "not in git history"}
