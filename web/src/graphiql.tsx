// GraphiQL from npm packages, served by the service itself: no CDN, works on an intranet.
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import { createRoot } from "react-dom/client";

async function fetcher(params: unknown): Promise<unknown> {
  const r = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(params),
  });
  return r.json();
}

const root = document.getElementById("graphiql");
if (root) createRoot(root).render(<GraphiQL fetcher={fetcher as never} />);
