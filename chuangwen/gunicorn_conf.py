"""gunicorn settings shared by the demo, the benchmark and production
(``gunicorn -c python:chuangwen.gunicorn_conf chuangwen.wsgi:application``)."""


def post_worker_init(worker):
    # Each worker builds its routing index and working calendar before taking requests,
    # so the first reports after a restart do not wait for them.
    from chuangwen.core.workcalendar import get_calendar
    from chuangwen.territory.routing import get_index

    try:
        get_index()
        get_calendar()
    except Exception:  # an empty or unmigrated database: build them on first use instead
        worker.log.warning("routing index not prebuilt", exc_info=True)
