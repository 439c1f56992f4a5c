// Load history (cartonet.store.history): one :CartonetLoad {seq, source, info} node per
// load that committed, written inside the load's own write transaction (so a failed load
// leaves no record). No :Node label: graph reads, counts and exports never see them.
// `info` is the JSON text cartonet.store.history.record_info builds, the same text the
// embedded store keeps in its `loads` table.

// name: record_load
MERGE (m:CartonetMeta {key: 'loads'})
SET m.counter = coalesce(m.counter, 0) + 1
CREATE (:CartonetLoad {seq: m.counter, source: $source, info: $info})

// Newest first; $source null: every source.
// name: load_history
MATCH (l:CartonetLoad)
WHERE $source IS NULL OR l.source = $source
RETURN l.seq AS seq, l.source AS source, l.info AS info
ORDER BY seq DESC
LIMIT $last

// The sources the store has loaded (a load with replace also owns the other releases of
// its family among them).
// name: held_sources
MATCH (s:CartonetSource)
RETURN collect(s.source) AS sources

// What a source's observed-mobility rows are before a reload replaces them (for the diff).
// name: observed_source_rows
RETURN COLLECT {
         MATCH (m:ObservedMove {source: $source}) RETURN [m.area, m.start, m.end, m.score]
       } AS moves,
       COLLECT { MATCH (c:AreaCommune {source: $source}) RETURN [c.commune, c.area] } AS communes
