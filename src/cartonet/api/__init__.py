"""The GraphQL API: node types (:mod:`.types`), root query (:mod:`.schema`), per-request
DataLoaders (:mod:`.loaders`), error shaping and query limits (:mod:`.errors`,
:mod:`.limits`), and the ASGI app (:mod:`.app`, :func:`create_app`)."""
