// Step 4: the k cheapest career paths between two jobs, drawn as steps with their cost.
import { gql } from "../api";
import { h, uid } from "../dom";
import { num, t } from "../i18n";
import { label, type Named } from "../profile";
import { href, state } from "../state";
import { autocomplete, errorBox } from "../widgets";

const PATHS = `query Paths($from: ID!, $to: ID!, $k: Int!) {
  careerPaths(from: $from, to: $to, k: $k) {
    totalCost
    occupations { id }
    steps { cost coverage curated from { id fr: label(lang: FR) en: label(lang: EN) } to { id fr: label(lang: FR) en: label(lang: EN) } }
  }
  a: occupation(id: $from) { id fr: label(lang: FR) en: label(lang: EN) }
  b: occupation(id: $to) { id fr: label(lang: FR) en: label(lang: EN) }
}`;

export function pathView(root: HTMLElement, args: string[], params: URLSearchParams): void {
  const from = args[0] || state.profile.current[0]?.id || "";
  const to = args[1] || state.profile.kept[0]?.id || "";
  const k = Math.min(5, Math.max(1, Number(params.get("k")) || 3));
  const head = h("div", { class: "view-head" }, h("h2", null, t("path.title")), h("p", { class: "lead" }, t("path.intro")));
  const chosen = { from: null as Named | null, to: null as Named | null };
  const fromBox = h("p", { class: "picked", "data-testid": "path-from" });
  const toBox = h("p", { class: "picked", "data-testid": "path-to" });
  const kId = uid("k");
  const kSel = h("select", { id: kId }, [1, 2, 3, 4, 5].map((n) => h("option", { value: String(n), selected: n === k }, String(n)))) as HTMLSelectElement;
  const result = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "card path-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const a = chosen.from?.id || from;
        const b = chosen.to?.id || to;
        if (!a || !b) {
          result.replaceChildren(h("p", { class: "card" }, t("path.pick")));
          return;
        }
        location.hash = `${href("path", a, b)}?k=${kSel.value}`;
      },
    },
    h("div", { class: "grid2" },
      h("div", null, autocomplete({ label: t("path.from"), kinds: ["OCCUPATION"], testid: "path-from-search", onPick: (hit) => { chosen.from = hit; fromBox.textContent = label(hit); } }), fromBox),
      h("div", null, autocomplete({ label: t("path.to"), kinds: ["OCCUPATION"], testid: "path-to-search", onPick: (hit) => { chosen.to = hit; toBox.textContent = label(hit); } }), toBox)),
    h("div", { class: "row" }, h("div", { class: "field" }, h("label", { for: kId }, t("path.k")), kSel), h("button", { type: "submit", class: "btn btn-primary", "data-testid": "path-go" }, t("path.go"))),
  );
  root.replaceChildren(head, form, result);
  if (!from || !to) return;
  result.replaceChildren(h("p", { class: "muted" }, t("loading")));
  const load = () =>
    gql(PATHS, { from, to, k })
      .then((d) => {
        if (d.a) fromBox.textContent = label(d.a);
        if (d.b) toBox.textContent = label(d.b);
        const paths = d.careerPaths as any[];
        if (!paths.length) {
          result.replaceChildren(h("p", { class: "card" }, t("path.none")));
          return;
        }
        result.replaceChildren(
          ...paths.map((p, i) =>
            h(
              "section",
              { class: "card path", "data-testid": "path" },
              h("h3", null, t("path.option", { n: i + 1, cost: num(p.totalCost, 2) })),
              h(
                "ol",
                { class: "path-steps" },
                h("li", { class: "path-node start" }, label(p.steps[0]?.from ?? d.a)),
                p.steps.map((s: any) => [
                  h(
                    "li",
                    { class: `path-edge${s.curated ? " curated" : ""}` },
                    h("span", null, t("path.cost", { cost: num(s.cost, 2) })),
                    h("span", { class: "small" }, t("path.coverage", { p: Math.round(s.coverage * 100) })),
                    s.curated ? h("span", { class: "tag" }, "★ ", t("path.curated")) : null,
                  ),
                  h("li", { class: "path-node" }, h("a", { href: href("target", s.to.id) }, label(s.to))),
                ]),
              ),
            ),
          ),
        );
      })
      .catch((e) => result.replaceChildren(errorBox(e, load)));
  load();
}
