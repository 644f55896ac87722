def pytest_terminal_summary(terminalreporter):
    """The fuzz's figures at the end of the run, where CI logs show them."""
    from .test_schema_fuzz import TALLY

    if TALLY.requests:
        terminalreporter.write_line(TALLY.summary())
