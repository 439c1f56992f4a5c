// Search: ranked in Python by the rule both stores share (cartonet.store.search). By
// default the store keeps an in-memory index of every label, read once per graph version
// (search_labels), and each search is one round trip (search_nodes). With
// Neo4jStore(label_index=False) it asks the full-text index for candidates instead
// (search_vocabulary, search_candidates). See cartonet.store.neo4j_search.

// Every node's labels, for the in-memory label index: [id, type, [[key, value], ...]] with
// the label_<lang> and alt_<lang> properties, one page of $limit nodes in id order after
// $after ("" for the first). One list per page: the driver spends far more time per record
// than per value. The store reads the version just before, in the same transaction.
// name: search_labels
MATCH (n:Node)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
RETURN collect([n.id, n.type,
                [k IN keys(n) WHERE k STARTS WITH 'label_' OR k STARTS WITH 'alt_' | [k, n[k]]]])
       AS labels

// The graph version and the hits' nodes, in one round trip: a version other than the
// label index's means a load committed since, and the store ranks again on fresh labels.
// name: search_nodes
OPTIONAL MATCH (m:CartonetMeta {key: 'graph'})
CALL () {
  UNWIND $ids AS id
  MATCH (n:Node {id: id})
  WITH n, [k IN keys(n) WHERE NOT k STARTS WITH '_'] AS nk
  RETURN collect([nk, [k IN nk | n[k]]]) AS nodes
}
RETURN m.version AS version, nodes

// The index text of every node (its terms, space separated), to find the fuzzy matches
// of a query's tokens exactly rather than through Lucene's capped fuzzy expansion. One
// list in one record: much faster to receive than one record per node.
// name: search_vocabulary
MATCH (n:Node)
WHERE n._index_text IS NOT NULL
RETURN collect(n._index_text) AS texts

// Nodes matching any of the Lucene queries ($queries: several when one would have too
// many clauses), with the labels ranking needs. $types: NodeType values, or null for all.
// name: search_candidates
UNWIND $queries AS query
CALL db.index.fulltext.queryNodes('node_search', query) YIELD node
WITH DISTINCT node
WHERE $types IS NULL OR node.type IN $types
RETURN collect([node.id, node.type,
                [k IN keys(node) WHERE k STARTS WITH 'label_' OR k STARTS WITH 'alt_' | [k, node[k]]]])
       AS candidates
