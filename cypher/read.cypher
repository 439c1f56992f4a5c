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

// name: get_nodes
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN collect(properties(n)) AS nodes

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
  RETURN collect(properties(n)) AS items
}
RETURN total, items

// Edges of one type leaving each id. $props: properties the edge must have with these
// values; $absent: properties it must not have.
// name: neighbours_out
UNWIND $ids AS id
MATCH (:Node {id: id})-[r:{rel}]->(other:Node)
WHERE all(k IN keys($props) WHERE r[k] = $props[k])
  AND all(k IN $absent WHERE r[k] IS NULL)
RETURN collect([id, other.id, properties(r), properties(other)]) AS edges

// name: neighbours_in
UNWIND $ids AS id
MATCH (:Node {id: id})<-[r:{rel}]-(other:Node)
WHERE all(k IN keys($props) WHERE r[k] = $props[k])
  AND all(k IN $absent WHERE r[k] IS NULL)
RETURN collect([id, other.id, properties(r), properties(other)]) AS edges

// name: export_nodes
MATCH (n:Node)
RETURN collect(properties(n)) AS nodes

// name: export_relationships
MATCH (a:Node)-[r]->(b:Node)
WHERE type(r) IN $types
RETURN collect([type(r), a.id, b.id, properties(r)]) AS relationships
