// Schema of the Carto.net graph in Neo4j. Applied by the Neo4j store each time it opens;
// every statement is idempotent (IF NOT EXISTS), so applying it twice changes nothing.
//
// Every node carries the common label :Node plus one type label (:Occupation, :Skill...,
// the values of cartonet.model.NodeType). Properties:
//   id, type, source                 identity, NodeType value, source release
//   label_<lang>, desc_<lang>        preferred label and description per language
//   alt_<lang>                       alternative labels (list of strings) per language
//   code, kind, reuse, ...           scalar properties of cartonet.model.NODE_PROPS
//   _fp                              fingerprint of the node's content (skips unchanged rows)
//   _index_text, _filter             normalised label text for search and list filters
// Relationships carry their model properties plus _source (the dataset that last wrote
// them) and _fp. A :CartonetMeta node holds the graph version, one :CartonetSource node
// per source the last load's report, one :CartonetLoad node per load (the history).

// name: constraint_node_id
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE

// name: constraint_occupation_id
CREATE CONSTRAINT occupation_id IF NOT EXISTS FOR (n:Occupation) REQUIRE n.id IS UNIQUE

// name: constraint_skill_id
CREATE CONSTRAINT skill_id IF NOT EXISTS FOR (n:Skill) REQUIRE n.id IS UNIQUE

// name: constraint_skill_group_id
CREATE CONSTRAINT skill_group_id IF NOT EXISTS FOR (n:SkillGroup) REQUIRE n.id IS UNIQUE

// name: constraint_occupation_group_id
CREATE CONSTRAINT occupation_group_id IF NOT EXISTS
FOR (n:OccupationGroup) REQUIRE n.id IS UNIQUE

// name: constraint_interest_id
CREATE CONSTRAINT interest_id IF NOT EXISTS FOR (n:Interest) REQUIRE n.id IS UNIQUE

// name: constraint_training_id
CREATE CONSTRAINT training_id IF NOT EXISTS FOR (n:Training) REQUIRE n.id IS UNIQUE

// name: constraint_meta_key
CREATE CONSTRAINT cartonet_meta_key IF NOT EXISTS FOR (m:CartonetMeta) REQUIRE m.key IS UNIQUE

// name: constraint_source_name
CREATE CONSTRAINT cartonet_source_name IF NOT EXISTS
FOR (s:CartonetSource) REQUIRE s.source IS UNIQUE

// `cartonet stats` lists the newest loads first (cypher/history.cypher).
// name: index_load_seq
CREATE INDEX cartonet_load_seq IF NOT EXISTS FOR (l:CartonetLoad) ON (l.seq)

// `load(replace=True)` finds the nodes a source loaded before.
// name: index_node_source
CREATE INDEX node_source IF NOT EXISTS FOR (n:Node) ON (n.source)

// `list_nodes(kind=...)` on skills.
// name: index_skill_kind
CREATE INDEX skill_kind IF NOT EXISTS FOR (n:Skill) ON (n.kind)

// Observed mobility (cartonet.store.observed) lives beside the graph, in nodes without
// the :Node label: :ObservedMove {source, area, start, end, score} and
// :AreaCommune {source, commune, area}. Reads go from a start occupation id or a commune.
// name: index_observed_move_start
CREATE INDEX observed_move_start IF NOT EXISTS FOR (m:ObservedMove) ON (m.start)

// name: index_observed_move_source
CREATE INDEX observed_move_source IF NOT EXISTS FOR (m:ObservedMove) ON (m.source)

// name: index_area_commune
CREATE INDEX area_commune IF NOT EXISTS FOR (c:AreaCommune) ON (c.commune)

// name: index_area_commune_source
CREATE INDEX area_commune_source IF NOT EXISTS FOR (c:AreaCommune) ON (c.source)

// The index of the full-text search path (Neo4jStore(label_index=False); by default the
// store ranks from an in-memory label index): the distinct normalised tokens of all
// labels of a node (cartonet.store.search.index_text), split on spaces only, so the query
// built from the same normalisation finds exactly the shared candidate rule's terms.
// name: fulltext_node_search
CREATE FULLTEXT INDEX node_search IF NOT EXISTS FOR (n:Node) ON EACH [n._index_text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}

// For people and other tools: preferred and alternative labels in both languages, as
// written, with Lucene's accent-folding standard analyzer.
// name: fulltext_node_labels
CREATE FULLTEXT INDEX node_labels IF NOT EXISTS
FOR (n:Node) ON EACH [n.label_fr, n.label_en, n.alt_fr, n.alt_en]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}

// name: init_meta
MERGE (m:CartonetMeta {key: 'graph'})
ON CREATE SET m.version = $initial_version, m.counter = 0

// name: await_indexes
CALL db.awaitIndexes($seconds)

// Names and states of the indexes (constraints included: each has a backing index of the
// same name), so opening a store whose schema is complete costs one round trip.
// name: schema_state
SHOW INDEXES YIELD name, state
RETURN name, state
