"""tender-check over HTTP: the Flask app factory, the /api/v1 blueprint, storage, web page.

``api.storage`` does not need Flask (the CLI imports it to save reports), so the factory is
imported only when asked for.
"""


def __getattr__(name):
    if name == "create_app":
        from api.app import create_app

        return create_app
    raise AttributeError(name)
