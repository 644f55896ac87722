import pytest


def pytest_terminal_summary(terminalreporter):
    """The fuzz's figures at the end of the run, where CI logs show them."""
    from .test_schema_fuzz import TALLY

    if TALLY.requests:
        terminalreporter.write_line(TALLY.summary())


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The fuzz sends hundreds of requests a minute from one address; the limits have
    tests of their own (chuangwen/core/tests/test_rate_limits.py)."""
    settings.API_RATE_PER_ADDRESS = ""
    settings.API_RATE_PER_CALLER = ""
