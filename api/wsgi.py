"""WSGI entry point for any WSGI server: ``gunicorn 'api.wsgi:app'``.

Each gunicorn worker is a process with its own check slots (MAX_CONCURRENT_CHECKS each);
checks fork their parser, so use the sync or gthread worker class, not gevent/eventlet.
"""

from api.app import create_app

app = create_app()
