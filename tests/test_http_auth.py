"""HTTP authentication edge cases beside ``test_e2e_http.py``: blank tokens count as none, the token
given as a flag never shows in the server's output, and settings never print it."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner
from test_concurrency import serving
from test_e2e_http import INITIALIZE, MCP_HEADERS

from briefing.cli import main
from briefing.settings import Settings

SECRET = "flag-token-3b9e5c1d7f"


@pytest.mark.parametrize("token", ["", "   ", "\t\n"])
def test_a_blank_token_is_no_token_beyond_loopback(tmp_path, token):
    result = CliRunner().invoke(main, ["serve", "--http", "--host", "0.0.0.0", "--token", token,
                                       "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 2 and "refusing to serve HTTP on 0.0.0.0 without a token" in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "example.org", ""])
def test_every_address_beyond_loopback_needs_a_token(tmp_path, host):
    result = CliRunner().invoke(main, ["serve", "--http", "--host", host, "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 2 and "without a token" in result.output


def test_settings_never_print_the_token():
    settings = Settings.from_env(http_token=SECRET)
    assert settings.http_token == SECRET
    assert SECRET not in repr(settings) and SECRET not in str(settings)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_token_given_as_a_flag_never_shows_in_the_server_output(tmp_path):
    from builders import copy_seeds

    corpus = copy_seeds(tmp_path / "corpus")
    with serving(tmp_path, corpus, tmp_path / "a.sqlite3", "--token", SECRET) as (url, log):
        for auth in (f"Bearer {SECRET[:-1]}", f"Bearer {SECRET.upper()}", f"bearer {SECRET}x"):
            response = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": auth}, timeout=30)
            assert response.status_code == 401 and SECRET not in response.text
        ok = httpx.post(url, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": f"Bearer {SECRET}"}, timeout=30)
        assert ok.status_code == 200
    assert SECRET not in log.read_text(encoding="utf-8", errors="replace")
