"""Operator warnings from `manage.py check`."""

from django.core.management import call_command


def test_a_warning_when_publisher_url_is_unset(settings, capsys):
    settings.PUBLISHER_URL = ""
    call_command("check")
    assert "claims.W001" in capsys.readouterr().err


def test_no_warning_when_it_is_set(settings, capsys):
    settings.PUBLISHER_URL = "https://checks.example.org/"
    call_command("check")
    assert "claims.W001" not in capsys.readouterr().err
