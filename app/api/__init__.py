"""The local Business Central-compatible REST API (Starlette, no Qt, services only).

app/api/resources.py answers one request; app/api/app.py is the ASGI application (host check,
token, body limit); app/api/batch.py the JSON ``$batch``; app/api/openapi.py the OpenAPI
document; app/api/server.py the ``serve`` command and the in-process server of the GUI.
"""
