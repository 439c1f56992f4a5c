// The peer bench/graphql_peer.py measures Carto.net against: @neo4j/graphql on Apollo
// Server, over the same Neo4j database Carto.net writes (labels :Occupation and :Skill,
// REQUIRES relationships with relevance and weight, one property per label language).
// Only the types and fields the benchmark's workloads read are declared.
//
// Usage: node server.mjs PORT BOLT_URI [USER PASSWORD]   (prints "PEER_READY <url>")
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const [port, uri, user, password] = process.argv.slice(2);
if (!port || !uri) {
  console.error("usage: node server.mjs PORT BOLT_URI [USER PASSWORD]");
  process.exit(2);
}

const typeDefs = /* GraphQL */ `
  type Occupation @node(labels: ["Occupation"]) {
    id: ID!
    label_fr: String
    label_en: String
    code: String
    skills: [Skill!]! @relationship(type: "REQUIRES", direction: OUT, properties: "Requires")
  }

  type Skill @node(labels: ["Skill"]) {
    id: ID!
    label_fr: String
    label_en: String
    kind: String
    occupations: [Occupation!]!
      @relationship(type: "REQUIRES", direction: IN, properties: "Requires")
  }

  type Requires @relationshipProperties {
    relevance: String
    weight: Float
  }
`;

const driver = neo4j.driver(uri, password ? neo4j.auth.basic(user || "neo4j", password) : undefined);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
});
console.log(`PEER_READY ${url}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
