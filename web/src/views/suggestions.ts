// Step 2: ranked options, with their score parts as bars, the curated mobility flag, the
// explanation, shared and missing skills, and filters.
import { h, uid } from "../dom";
import { entryBlock, hoursText } from "../entry";
import { lang, t } from "../i18n";
import { isEmpty, label, type Named } from "../profile";
import { go, href, PAGE, save, state, suggestions } from "../state";
import { bar, errorBox } from "../widgets";

const PARTS = ["skillFit", "similarity", "affinityFit", "gapCost", "mobility", "localMobility", "observedMobility", "feasibility"] as const;
const SNAKE: Record<string, string> = {
  skillFit: "skill_fit",
  similarity: "similarity",
  affinityFit: "affinity_fit",
  gapCost: "gap_cost",
  mobility: "mobility",
  localMobility: "local_mobility",
  observedMobility: "observed_mobility",
  feasibility: "feasibility",
};
// parts whose name alone does not say what they measure: a one-line hint under the bar
const HINTED = new Set<string>(["similarity", "observedMobility", "feasibility"]);
// parts where a longer bar is worse
const COSTS = new Set<string>(["gapCost", "feasibility"]);

const filters = { field: "", maxHours: "", curatedOnly: false };
const FIRST_DRAWN = 5;

function topGroup(s: any): Named | null {
  const gs = s.occupation.groups as Named[];
  return gs.length ? gs[gs.length - 1] : null;
}

// interests an occupation got across a crosswalk (ESCO has none of its own): an estimate,
// said under the interests bar with the linked job it was read from
function inferredNote(s: any): string {
  const found = (s.inferredInterests ?? []) as Named[];
  if (!found.length) return "";
  const v = found.map((i) => label(i)).join(", ");
  const twin = s.interestsFrom;
  if (!twin) return t("sugg.inferredNoLink", { v });
  const code = twin.source?.startsWith("rome") ? `ROME ${twin.code ?? ""}` : String(twin.source ?? "").split("-")[0].toUpperCase();
  return t("sugg.inferred", { v, from: `${label(twin)} (${code.trim()})` });
}

function hint(s: any, p: string): string {
  if (p === "affinityFit") return inferredNote(s);
  return HINTED.has(p) ? t(`sugg.hint.${p}`) : "";
}

export function isKept(id: string): boolean {
  return state.profile.kept.some((k) => k.id === id);
}

function card(s: any, rank: number, redraw: () => void): HTMLElement {
  const occ = s.occupation;
  const headId = uid("sg");
  const missing = s.missingSkills as any[];
  const essentialMissing = missing.filter((m) => m.essential);
  const kept = isKept(occ.id);
  return h(
    "article",
    { class: `sugg card${kept ? " kept" : ""}`, "aria-labelledby": headId, "data-testid": "suggestion", "data-id": occ.id },
    h(
      "div",
      { class: "sugg-head" },
      h("span", { class: "rank", "aria-hidden": "true" }, String(rank)),
      h(
        "div",
        { class: "sugg-title" },
        h("h3", { id: headId }, h("a", { href: href("target", occ.id) }, label(occ))),
        h(
          "p",
          { class: "muted small" },
          occ.source.startsWith("rome") ? `ROME ${occ.code ?? ""}` : "ESCO",
          topGroup(s) ? ` · ${label(topGroup(s)!)}` : "",
        ),
      ),
      h("div", { class: "score", "aria-label": `${t("sugg.score")} ${Math.round(s.score * 100)} / 100` }, h("span", { class: "score-n" }, String(Math.round(s.score * 100))), h("span", { class: "score-u" }, "/100")),
    ),
    s.curatedMobility
      ? h("p", { class: "flag" }, "★ ", t(`sugg.curated.${s.curatedMobility}`), s.mobilityFrom ? ` — ${t("sugg.from", { label: label(s.mobilityFrom) })}` : "")
      : null,
    h(
      "div",
      { class: "bars" },
      // activeParts: enum names (SKILL_FIT...); older services sent snake_case values
      PARTS.filter((p) => (s.activeParts as string[]).some((a) => a.toLowerCase() === SNAKE[p])).map((p) =>
        bar(t(`sugg.part.${p}`), s.parts[p], COSTS.has(p) ? "bar-cost" : "", hint(s, p), p),
      ),
    ),
    entryBlock(occ, s.trainingPlan, s.levelStep),
    h("p", { class: "explain" }, s.explanation),
    h(
      "div",
      { class: "sugg-skills" },
      h("p", null, h("strong", null, t("sugg.shared", { n: s.sharedSkills.length }))),
      h(
        "div",
        null,
        h("strong", null, t("sugg.missing", { n: missing.length })),
        h(
          "ul",
          { class: "inline-list" },
          essentialMissing.slice(0, 5).map((m) => h("li", null, label(m.skill))),
          essentialMissing.length > 5 ? h("li", { class: "muted" }, t("sugg.more", { n: missing.length - 5 })) : null,
        ),
      ),
      h("p", { class: "muted", "data-testid": "hours" }, hoursText(s.trainingPlan)),
    ),
    h(
      "div",
      { class: "row" },
      h("a", { class: "btn btn-primary", href: href("target", occ.id), "data-testid": "see-gap" }, t("sugg.see")),
      h(
        "button",
        {
          type: "button",
          class: "btn",
          "aria-pressed": kept ? "true" : "false",
          "data-testid": "keep",
          onclick: () => {
            if (kept) state.profile.kept = state.profile.kept.filter((k) => k.id !== occ.id);
            else state.profile.kept.push({ id: occ.id, fr: occ.fr, en: occ.en });
            save();
            redraw();
          },
        },
        kept ? t("sugg.kept") : t("sugg.keep"),
      ),
    ),
  );
}

export function suggestionsView(root: HTMLElement): void {
  const head = h("div", { class: "view-head" }, h("h2", null, t("sugg.title")), h("p", { class: "lead" }, t("sugg.intro")));
  if (isEmpty(state.profile)) {
    root.replaceChildren(head, h("div", { class: "card" }, h("p", null, t("sugg.needProfile")), h("a", { class: "btn btn-primary", href: href("profile") }, t("nav.profile"))));
    return;
  }
  const list = h("div", { class: "sugg-list", "aria-live": "polite", "aria-busy": "true" }, h("p", { class: "muted" }, t("loading")));
  const filterBox = h("form", { class: "filters card", hidden: true, "aria-label": t("sugg.filters"), onsubmit: (e: Event) => e.preventDefault() });
  const count = h("p", { class: "muted", role: "status" });
  const keptLine = h("p", { class: "kept-line" });
  const more = h("div", { class: "actions" });
  root.replaceChildren(head, filterBox, h("div", { class: "row spread" }, count, keptLine), list, more);

  let all: any[] = [];
  let drawn = 0;
  const draw = () => {
    const maxH = Number(filters.maxHours);
    const shown = all.filter(
      (s) =>
        (!filters.field || (s.occupation.groups as Named[]).some((g) => g.id === filters.field)) &&
        (!(maxH > 0) || s.trainingPlan.totalHours <= maxH) &&
        (!filters.curatedOnly || s.curatedMobility),
    );
    count.textContent = t("sugg.count", { n: shown.length, total: all.length }) + (state.communeIgnored ? ` ${t("sugg.communeIgnored")}` : "");
    keptLine.replaceChildren(
      t("sugg.keptCount", { n: state.profile.kept.length }),
      " ",
      h("a", { href: href("summary"), "data-testid": "to-summary" }, t("nav.summary"), " →"),
    );
    list.setAttribute("aria-busy", "false");
    // the first cards at once, the rest on the next frame: the counsellor reads the best
    // options while the others are built
    const mine = ++drawn;
    list.replaceChildren(...(shown.length ? shown.slice(0, FIRST_DRAWN).map((s, i) => card(s, i + 1, draw)) : [h("p", { class: "card" }, t("sugg.none"))]));
    list.setAttribute("data-complete", shown.length > FIRST_DRAWN ? "false" : "true");
    if (shown.length > FIRST_DRAWN)
      window.setTimeout(() => {
        if (mine !== drawn) return;
        list.append(...shown.slice(FIRST_DRAWN).map((s, i) => card(s, i + 1 + FIRST_DRAWN, draw)));
        list.setAttribute("data-complete", "true");
      }, 0);
    // a full page may have more behind it: ask for the next ones only on demand
    more.replaceChildren(
      all.length >= state.first
        ? h("button", {
            type: "button",
            class: "btn",
            "data-testid": "more-options",
            onclick: () => {
              state.first += PAGE;
              const firstNew = all.length;
              load().then(() => window.setTimeout(() => (list.children[firstNew]?.querySelector("h3 a") as HTMLElement | null)?.focus(), 0));
            },
          }, t("sugg.moreOptions", { n: PAGE }))
        : "",
    );
  };
  const drawFilters = () => {
    const fields = new Map<string, Named>();
    for (const s of all) for (const g of s.occupation.groups as Named[]) fields.set(g.id, g);
    const fId = uid("f");
    const hId = uid("f");
    const cId = uid("f");
    filterBox.hidden = false;
    filterBox.replaceChildren(
      h("h3", { class: "visually-hidden" }, t("sugg.filters")),
      h(
        "div",
        { class: "field" },
        h("label", { for: fId }, t("sugg.field")),
        h(
          "select",
          { id: fId, "data-testid": "filter-field", onchange: (e: Event) => { filters.field = (e.target as HTMLSelectElement).value; draw(); } },
          h("option", { value: "" }, t("sugg.allFields")),
          [...fields.values()]
            .sort((a, b) => label(a).localeCompare(label(b), lang()))
            .map((g) => h("option", { value: g.id, selected: g.id === filters.field }, label(g))),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: hId }, t("sugg.maxHours")),
        h("input", { id: hId, type: "number", min: "0", step: "10", value: filters.maxHours, "data-testid": "filter-hours", oninput: (e: Event) => { filters.maxHours = (e.target as HTMLInputElement).value; draw(); } }),
      ),
      h(
        "div",
        { class: "field check" },
        h("input", { id: cId, type: "checkbox", checked: filters.curatedOnly, "data-testid": "filter-curated", onchange: (e: Event) => { filters.curatedOnly = (e.target as HTMLInputElement).checked; draw(); } }),
        h("label", { for: cId }, t("sugg.curatedOnly")),
      ),
    );
  };
  const load = (): Promise<void> =>
    suggestions()
      .then((found) => {
        all = found;
        drawFilters();
        draw();
      })
      .catch((e) => list.replaceChildren(errorBox(e, load)));
  load();
}

export { go };
