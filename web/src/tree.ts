// A browsable tree of the occupation groups (ROME domaines, ISCO groups), for the fields a
// seeker likes or avoids: for a counsellor who does not know what to type.
import { gql } from "./api";
import { h } from "./dom";
import { gqlLang, lang, t } from "./i18n";
import { label, type Named } from "./profile";
import { oneLang } from "./state";

interface Group extends Named {
  source: string;
  code: string | null;
  children: Group[];
}

const GROUPS = `query Groups($after: String, $lang: Lang!) {
  occupationGroups(first: 500, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id source code label(lang: $lang) broader { id } } }
  }
}`;

const cache = new Map<string, Promise<Group[]>>();

/** The groups as trees (roots per source), read page by page once per language. */
function roots(): Promise<Group[]> {
  const key = gqlLang();
  if (!cache.has(key)) {
    const load = (async () => {
      const nodes: any[] = [];
      let after: string | null = null;
      for (;;) {
        const d: any = oneLang(await gql(GROUPS, { after, lang: key }));
        const page = d.occupationGroups;
        for (const e of page.edges) nodes.push(e.node);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const byId = new Map<string, Group>(nodes.map((n) => [n.id, { id: n.id, fr: n.fr, en: n.en, source: n.source, code: n.code, children: [] }]));
      const top: Group[] = [];
      for (const n of nodes) {
        const g = byId.get(n.id)!;
        const parent = n.broader.map((b: any) => byId.get(b.id)).find(Boolean);
        (parent ? parent.children : top).push(g);
      }
      const order = (a: Group, b: Group) => (a.code ?? "").localeCompare(b.code ?? "") || label(a).localeCompare(label(b), lang());
      const sortAll = (gs: Group[]) => {
        gs.sort(order);
        gs.forEach((g) => sortAll(g.children));
      };
      sortAll(top);
      return top;
    })();
    load.catch(() => cache.delete(key));
    cache.set(key, load);
  }
  return cache.get(key)!;
}

function sourceName(source: string): string {
  if (source.startsWith("rome")) return t("tree.rome");
  if (source.startsWith("esco") || source.startsWith("isco")) return t("tree.esco");
  return source;
}

/** A closed disclosure "browse the fields"; opened, it lists the groups by source, each
 * opening on its narrower ones (drawn only when opened), each with a button to choose it. */
export function groupTree(onPick: (g: Named) => void, testid?: string): HTMLElement {
  const body = h("div", { class: "tree-body" }, h("p", { class: "muted small" }, t("loading")));
  const item = (g: Group): HTMLElement => {
    const name = `${g.code ? `${g.code} · ` : ""}${label(g)}`;
    // the accessible name holds the visible text (WCAG 2.5.3) and says which group
    const visible = g.children.length ? t("tree.chooseShort") : name;
    const choose = h("button", { type: "button", class: "link tree-pick", "aria-label": g.children.length ? `${visible} : ${label(g)}` : t("tree.choose", { label: name }), onclick: () => onPick({ id: g.id, fr: g.fr, en: g.en }) }, visible);
    if (!g.children.length) return h("li", null, choose);
    const list = h("ul", { class: "tree-list" });
    const det = h("details", { ontoggle: () => { if ((det as HTMLDetailsElement).open && !list.childElementCount) list.replaceChildren(...g.children.map(item)); } }, h("summary", null, name, h("span", { class: "muted small" }, ` (${g.children.length})`)), choose, list);
    return h("li", null, det);
  };
  const outer = h(
    "details",
    {
      class: "tree",
      "data-testid": testid,
      ontoggle: () => {
        if (!(outer as HTMLDetailsElement).open || body.dataset.ready) return;
        roots()
          .then((top) => {
            body.dataset.ready = "1";
            const bySource = new Map<string, Group[]>();
            for (const g of top) {
              const s = sourceName(g.source);
              bySource.set(s, [...(bySource.get(s) ?? []), g]);
            }
            body.replaceChildren(
              ...[...bySource].map(([s, gs]) => h("details", null, h("summary", null, s, h("span", { class: "muted small" }, ` (${gs.length})`)), h("ul", { class: "tree-list" }, gs.map(item)))),
            );
          })
          .catch(() => body.replaceChildren(h("p", { class: "warn small" }, t("err.UNKNOWN"))));
      },
    },
    h("summary", null, t("tree.browse")),
    body,
  );
  return outer;
}
