"""The HTTP API: the app factory, one router per resource, auth, errors, middleware, the reviewer page."""
