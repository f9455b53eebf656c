"""The web console: server-rendered pages over the service's API, mounted at ``/``.

Pages call the v1 API in process with the signed-in key, so what a page shows and
allows is exactly what the key's role may do through the API.
"""
