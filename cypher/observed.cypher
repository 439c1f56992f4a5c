// Observed mobility (cartonet.store.observed): moves per employment area and the commune
// -> area table, kept in :ObservedMove and :AreaCommune nodes without the :Node label, so
// graph reads, counts and exports never see them. A load runs these in ONE write
// transaction: fingerprint check, delete the source's rows, create the new ones, bump the
// graph version (load.cypher's bump_version), record the source.

// Which of these ids are occupations of the graph (a move must join two of them).
// name: observed_known_occupations
UNWIND $ids AS id
MATCH (n:Occupation {id: id})
RETURN collect(n.id) AS ids

// name: observed_fingerprint
OPTIONAL MATCH (s:CartonetSource {source: $source})
RETURN s.observed_fp AS fp

// name: delete_observed_moves
MATCH (m:ObservedMove {source: $source})
DELETE m
RETURN count(m) AS removed

// name: delete_area_communes
MATCH (c:AreaCommune {source: $source})
DELETE c
RETURN count(c) AS removed

// A commune or move another source holds is taken over (as the embedded store does).
// name: create_observed_moves
UNWIND $rows AS row
OPTIONAL MATCH (old:ObservedMove {start: row.start})
  WHERE old.end = row.end AND old.area = row.area
DELETE old
CREATE (:ObservedMove {source: $source, area: row.area, start: row.start, end: row.end,
                       score: row.score})

// name: create_area_communes
UNWIND $rows AS row
OPTIONAL MATCH (old:AreaCommune {commune: row.commune})
DELETE old
CREATE (:AreaCommune {source: $source, commune: row.commune, area: row.area})

// name: record_observed
MERGE (s:CartonetSource {source: $source})
SET s += $info

// Raw moves from each id whose end is still an occupation ($area null: every area); the
// store merges and orders them like the embedded store (cartonet.store.observed.collect).
// name: observed_moves
UNWIND $ids AS id
MATCH (m:ObservedMove {start: id})
WHERE $area IS NULL OR m.area = $area
MATCH (:Occupation {id: m.end})
RETURN collect([m.start, m.end, m.score, m.area]) AS rows

// name: area_of_commune
MATCH (c:AreaCommune {commune: $commune})
RETURN c.area AS area
ORDER BY c.source
LIMIT 1

// Every move and commune as loaded, for exports (cartonet.store.observed.gather orders them).
// name: export_observed
RETURN COLLECT {
         MATCH (m:ObservedMove) RETURN [m.source, m.area, m.start, m.end, m.score]
       } AS moves,
       COLLECT { MATCH (c:AreaCommune) RETURN [c.source, c.commune, c.area] } AS communes
