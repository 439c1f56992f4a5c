// Search: candidates from the full-text index, ranked in Python by the rule both stores
// share (cartonet.store.search.rank). The queries hold only normalised tokens.

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
