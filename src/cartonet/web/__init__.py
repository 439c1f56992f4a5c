"""The orientation guide and the offline GraphiQL, built from ``web/`` by ``make web``
into ``dist/`` (committed, so serving needs no Node)."""
