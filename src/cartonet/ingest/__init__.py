"""Loaders: taxonomy files in, :class:`~cartonet.model.Dataset` out (the store writes it).

========================  ===================================================
``load_esco(dir)``        ESCO v1.1.1 CSV release (:mod:`.esco`)
``load_rome(dir)``        ROME v3 CSV export (:mod:`.rome`)
``load_onet(dir)``        O*NET database release, .txt and .xlsx (:mod:`.onet`)
``read_json(path)``       the generic ``cartonet-graph`` JSON format (:mod:`.jsonfmt`)
``write_json(ds, path)``  the same format, written deterministically
``load_fixtures()``       the bundled fixtures (:mod:`.fixtures`)
``describe(ds)``          counts against the files, as text (:mod:`.report`)
========================  ===================================================

Every loader takes ``skip_bad_rows`` (default strict: any bad record refuses the load with
a :class:`~cartonet.errors.LoadError` listing ``file:line: reason``) and ``progress``
(``progress(phase, done, total)``). See ``docs/data-loading.md``.
"""

from cartonet.ingest.esco import load_esco
from cartonet.ingest.fixtures import fixture_paths, fixtures_dir, load_fixtures
from cartonet.ingest.jsonfmt import read_json, write_json
from cartonet.ingest.onet import load_onet
from cartonet.ingest.report import describe
from cartonet.ingest.rome import load_rome

__all__ = [
    "describe",
    "fixture_paths",
    "fixtures_dir",
    "load_esco",
    "load_fixtures",
    "load_onet",
    "load_rome",
    "read_json",
    "write_json",
]
