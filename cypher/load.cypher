// Loads: the store runs all of these inside ONE write transaction per load, so a load is
// all or nothing. It reads the fingerprints (_fp) of what it holds first, then sends only
// new or changed rows, in batches of thousands ($rows); the MERGE statements check the
// fingerprint again, so they stay correct (and idempotent) whatever they are sent.

// What the store holds of the dataset's ids: type (validation needs it), fingerprint and
// format (rows that are unchanged are not sent again), source (the history tells a
// changed node from one only taken over by another release).
// name: stored_nodes
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN collect([n.id, n.type, n._fp, n._format, n.source]) AS nodes

// Fingerprints of the stored relationships of one type among ($rows) start/end pairs.
// Both ends are looked up first and the edge found with OPTIONAL MATCH, which Neo4j runs
// as an "expand into" from the end with fewer edges. A plain pattern lets the planner
// expand from either end, and from a group with thousands of members that is quadratic.
// name: stored_relationships
UNWIND $rows AS row
MATCH (a:Node {id: row.start})
MATCH (b:Node {id: row.end})
OPTIONAL MATCH (a)-[r:{rel}]->(b)
WITH row, r
WHERE r IS NOT NULL
RETURN collect([row.start, row.end, r._fp, r._source]) AS relationships

// The nodes of these sources (the dataset's and its other releases: load(replace=True)).
// name: source_node_ids
MATCH (n:Node)
WHERE n.source IN $sources
RETURN collect([n.id, n.type]) AS nodes

// Relationships these sources wrote last (for load(replace=True)).
// name: source_relationship_keys
MATCH (a:Node)-[r]->(b:Node)
WHERE r._source IN $sources
RETURN collect([type(r), a.id, b.id]) AS keys

// Upsert a batch of nodes of one type; row.props holds every stored property. A node
// whose content is unchanged is left alone, unless its derived search properties are in
// an older format (_format): then it is refreshed but not counted as written.
// name: merge_nodes
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
WITH n, row, coalesce(n._fp, '') <> row.props._fp AS changed
WHERE changed OR coalesce(n._format, 0) <> row.props._format
SET n = row.props, n:{label}
RETURN sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written

// Upsert a batch of relationships of one type between existing nodes. `matched` lets the
// store check that no row was dropped for a missing end node.
// name: merge_relationships
UNWIND $rows AS row
MATCH (a:Node {id: row.start})
MATCH (b:Node {id: row.end})
MERGE (a)-[r:{rel}]->(b)
WITH r, row, (r._fp IS NULL OR r._fp <> row.props._fp) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET r = row.props)
RETURN count(r) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written

// Finds the edges like stored_relationships.
// name: delete_relationships
UNWIND $rows AS row
MATCH (a:Node {id: row.start})
MATCH (b:Node {id: row.end})
OPTIONAL MATCH (a)-[r:{rel}]->(b)
WITH r
WHERE r IS NOT NULL
DELETE r
RETURN count(r) AS removed

// Relationships touching nodes about to be removed (each counted once, by type).
// name: delete_node_relationships
UNWIND $ids AS id
MATCH (:Node {id: id})-[r]-()
WITH DISTINCT r
WITH r, type(r) AS rel_type
DELETE r
WITH rel_type, count(*) AS n
RETURN collect([rel_type, n]) AS removed

// name: delete_nodes
UNWIND $ids AS id
MATCH (n:Node {id: id})
DELETE n
RETURN count(n) AS removed

// name: bump_version
MERGE (m:CartonetMeta {key: 'graph'})
SET m.counter = coalesce(m.counter, 0) + 1
SET m.version = 'v' + toString(m.counter) + '-' + $nonce
RETURN m.version AS version

// What the last load of a source brought (for operators; the service does not read it).
// name: record_source
MERGE (s:CartonetSource {source: $source})
SET s += $info
