// Reads of the Neo4j store: one round trip per call, whatever the number of ids. Rows
// come back collected into one record: the Python driver spends far more time per record
// than per value, so 1,000 nodes in one list arrive many times faster than 1,000 records.

// name: ping
RETURN 1 AS ok

// name: version
OPTIONAL MATCH (m:CartonetMeta {key: 'graph'})
RETURN m.version AS version

// Counts come from Neo4j's count store (no scan).
// name: stats
CALL () { MATCH (n:Occupation) RETURN count(n) AS occupations }
CALL () { MATCH (n:Skill) RETURN count(n) AS skills }
CALL () { MATCH (n:Training) RETURN count(n) AS trainings }
CALL () { MATCH (n:Interest) RETURN count(n) AS interests }
CALL () { MATCH (n:SkillGroup) RETURN count(n) AS skill_groups }
CALL () { MATCH (n:OccupationGroup) RETURN count(n) AS occupation_groups }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relations }
OPTIONAL MATCH (m:CartonetMeta {key: 'graph'})
RETURN occupations, skills, trainings, interests, skill_groups + occupation_groups AS groups,
       relations, m.version AS version

// A node travels as [keys, values]: the names of its model properties and their values
// in the same order (a map cannot be built from computed keys without APOC, and two
// lists make about a third fewer objects for the driver to unpack than a [key, value]
// list per property). The derived search properties (_filter, _index_text, _fp...) stay
// on the server, and with $text = false so do descriptions (desc_*) and alternative
// labels (alt_*), which make most of a node's bytes. With $labels_only = true a neighbour
// travels as [type, source, label_en, label_fr] (named properties read one by one: a third
// less of the server's CPU than listing keys(other) and reading each; the API asks for it
// when the query selects nothing else of those nodes). An edge's properties travel as
// [keys, values] too, without the internal ones (_source, _fp).

// name: get_nodes
UNWIND $ids AS id
MATCH (n:Node {id: id})
WITH n, [k IN keys(n) WHERE NOT k STARTS WITH '_'] AS nk
RETURN collect([nk, [k IN nk | n[k]]]) AS nodes

// One page of nodes of one type in id order (keyset: ids after $after, "" for the first
// page), with the number of nodes passing the filters. $needle is the normalised filter
// text, matched inside the node's normalised labels (_filter, one label per line);
// $group keeps nodes with a BROADER path of one step or more to that id.
// name: list_nodes
CALL () {
  MATCH (n:{label})
  WHERE ($kind IS NULL OR n.kind = $kind)
    AND ($needle IS NULL OR n._filter CONTAINS $needle)
    AND ($group IS NULL OR (n.id <> $group AND EXISTS { (n)-[:BROADER*1..]->(:Node {id: $group}) }))
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:{label})
  WHERE n.id > $after
    AND ($kind IS NULL OR n.kind = $kind)
    AND ($needle IS NULL OR n._filter CONTAINS $needle)
    AND ($group IS NULL OR (n.id <> $group AND EXISTS { (n)-[:BROADER*1..]->(:Node {id: $group}) }))
  WITH n ORDER BY n.id LIMIT $limit
  WITH n, [k IN keys(n) WHERE NOT k STARTS WITH '_'
           AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
  RETURN collect([nk, [k IN nk | n[k]]]) AS items
}
RETURN total, items

// The same without filters: the total comes from the count store (no scan).
// name: list_nodes_all
CALL () {
  MATCH (n:{label})
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:{label})
  WHERE n.id > $after
  WITH n ORDER BY n.id LIMIT $limit
  WITH n, [k IN keys(n) WHERE NOT k STARTS WITH '_'
           AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
  RETURN collect([nk, [k IN nk | n[k]]]) AS items
}
RETURN total, items

// Edges of one type leaving each id. $props: properties the edge must have with these
// values; $absent: properties it must not have. Edge properties travel without the
// internal ones (_source, _fp).
// name: neighbours_out
UNWIND $ids AS id
MATCH (:Node {id: id})-[r:{rel}]->(other:Node)
WHERE all(k IN keys($props) WHERE r[k] = $props[k])
  AND all(k IN $absent WHERE r[k] IS NULL)
WITH id, r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
     CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
      AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
RETURN collect([id, other.id, [rk, [k IN rk | r[k]]],
  CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
  ELSE [ok, [k IN ok | other[k]]] END]) AS edges

// name: neighbours_in
UNWIND $ids AS id
MATCH (:Node {id: id})<-[r:{rel}]-(other:Node)
WHERE all(k IN keys($props) WHERE r[k] = $props[k])
  AND all(k IN $absent WHERE r[k] IS NULL)
WITH id, r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
     CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
      AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
RETURN collect([id, other.id, [rk, [k IN rk | r[k]]],
  CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
  ELSE [ok, [k IN ok | other[k]]] END]) AS edges

// One page per id of its edges to nodes of one type, in the other node's id order after
// $after ("" for the first page), at most $limit, with the number over all pages: paging,
// counting and ordering happen here, so a skill 350 occupations require sends 20 of them.
// name: neighbour_pages_out
UNWIND $ids AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)-[r:{rel}]->(other:{label})
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  RETURN count(other) AS total
}
CALL (n) {
  MATCH (n)-[r:{rel}]->(other:{label})
  WHERE other.id > $after
    AND all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other ORDER BY other.id LIMIT $limit
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS items
}
RETURN collect([id, total, items]) AS pages

// name: neighbour_pages_in
UNWIND $ids AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)<-[r:{rel}]-(other:{label})
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  RETURN count(other) AS total
}
CALL (n) {
  MATCH (n)<-[r:{rel}]-(other:{label})
  WHERE other.id > $after
    AND all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other ORDER BY other.id LIMIT $limit
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS items
}
RETURN collect([id, total, items]) AS pages

// A lookup by id and the list nested under it in one statement (one round trip where a
// lookup then a nested read take two, and the server's cost of a statement is mostly
// per statement, not per row): per found id, its position in $ids, the node (as
// get_nodes; without descriptions and alternative labels when $node_text = false) with its
// edges (as neighbours_out / _in) or its page (as neighbour_pages_out / _in). Unknown ids
// are left out. The positions let one statement serve the lookups of several requests
// (cartonet.store.neo4j_merge): $ids may hold an id more than once.
// name: nodes_neighbours_out
UNWIND range(0, size($ids) - 1) AS at
WITH at, $ids[at] AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)-[r:{rel}]->(other:Node)
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS edges
}
WITH at, n, edges, [k IN keys(n) WHERE NOT k STARTS WITH '_'
  AND ($node_text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
RETURN collect([at, [nk, [k IN nk | n[k]]], edges]) AS nodes

// name: nodes_neighbours_in
UNWIND range(0, size($ids) - 1) AS at
WITH at, $ids[at] AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)<-[r:{rel}]-(other:Node)
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS edges
}
WITH at, n, edges, [k IN keys(n) WHERE NOT k STARTS WITH '_'
  AND ($node_text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
RETURN collect([at, [nk, [k IN nk | n[k]]], edges]) AS nodes

// name: nodes_pages_out
UNWIND range(0, size($ids) - 1) AS at
WITH at, $ids[at] AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)-[r:{rel}]->(other:{label})
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  RETURN count(other) AS total
}
CALL (n) {
  MATCH (n)-[r:{rel}]->(other:{label})
  WHERE other.id > $after
    AND all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other ORDER BY other.id LIMIT $limit
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS items
}
WITH at, n, total, items, [k IN keys(n) WHERE NOT k STARTS WITH '_'
  AND ($node_text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
RETURN collect([at, [nk, [k IN nk | n[k]]], total, items]) AS pages

// name: nodes_pages_in
UNWIND range(0, size($ids) - 1) AS at
WITH at, $ids[at] AS id
MATCH (n:Node {id: id})
CALL (n) {
  MATCH (n)<-[r:{rel}]-(other:{label})
  WHERE all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  RETURN count(other) AS total
}
CALL (n) {
  MATCH (n)<-[r:{rel}]-(other:{label})
  WHERE other.id > $after
    AND all(k IN keys($props) WHERE r[k] = $props[k])
    AND all(k IN $absent WHERE r[k] IS NULL)
  WITH r, other ORDER BY other.id LIMIT $limit
  WITH r, other, [k IN keys(r) WHERE NOT k STARTS WITH '_'] AS rk,
       CASE WHEN $labels_only THEN null ELSE [k IN keys(other) WHERE NOT k STARTS WITH '_'
        AND ($text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] END AS ok
  RETURN collect([other.id, [rk, [k IN rk | r[k]]],
    CASE WHEN $labels_only THEN [other.type, other.source, other.label_en, other.label_fr]
    ELSE [ok, [k IN ok | other[k]]] END]) AS items
}
WITH at, n, total, items, [k IN keys(n) WHERE NOT k STARTS WITH '_'
  AND ($node_text OR NOT (k STARTS WITH 'desc_' OR k STARTS WITH 'alt_'))] AS nk
RETURN collect([at, [nk, [k IN nk | n[k]]], total, items]) AS pages

// name: export_nodes
MATCH (n:Node)
RETURN collect(properties(n)) AS nodes

// name: export_relationships
MATCH (a:Node)-[r]->(b:Node)
WHERE type(r) IN $types
RETURN collect([type(r), a.id, b.id, properties(r)]) AS relationships
