// Builds the orientation guide (index.html) and the offline GraphiQL (graphiql.html) into
// the Python package, so `cartonet serve` needs no Node and no CDN at run time.
import { resolve } from "node:path";
import { defineConfig } from "vite";

// GraphiQL's own error text names CDNs ("jsdelivr, unpkg, etc"); the service ships no URL of
// a CDN anywhere, so that sentence is reworded in the bundle.
const noCdnWords = {
  name: "no-cdn-words",
  renderChunk(code: string) {
    return code.replace(/\(jsdelivr, unpkg, etc\)/g, "(a CDN)");
  },
};

export default defineConfig({
  plugins: [noCdnWords],
  base: "/static/",
  build: {
    outDir: resolve(__dirname, "../src/cartonet/web/dist"),
    emptyOutDir: true,
    target: "es2020",
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        index: resolve(__dirname, "index.html"),
        graphiql: resolve(__dirname, "graphiql.html"),
      },
      // the charting library gets a name of its own (loaded only by the Pilotage view)
      output: { manualChunks: (id: string) => (id.includes("@observablehq/plot") || /node_modules\/d3-/.test(id) ? "plot" : undefined) },
    },
  },
});
