"""The case pages: list, detail with its workflow forms, inbox, map, field report and
supervision orders. Every read goes through ``selectors`` (scoped to the user, 404 outside
the scope) and every write through ``services``; a refusal (``ServiceError``) is shown as a
message on the page that asked, with the status code the service chose."""
