// One load-generator run for bench/graphql_peer.py: autocannon POSTs one GraphQL body to
// one URL with N connections for D seconds, then prints one JSON line: requests, req/s,
// latency p50 / p95 (ms, from every response's time), non-2xx answers and errors.
//
// Usage: node load.mjs '{"url": ..., "body": ..., "connections": 10, "duration": 10}'
import autocannon from "autocannon";

const opts = JSON.parse(process.argv[2]);
const times = [];
const instance = autocannon({
  url: opts.url,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: opts.body,
  connections: opts.connections,
  duration: opts.duration,
});
instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: process.stderr });
instance.on("done", (result) => {
  times.sort((a, b) => a - b);
  const pick = (q) => (times.length ? times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] : null);
  console.log(
    JSON.stringify({
      requests: times.length,
      seconds: result.duration,
      rps: times.length / result.duration,
      p50_ms: pick(0.5),
      p95_ms: pick(0.95),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    }),
  );
});
