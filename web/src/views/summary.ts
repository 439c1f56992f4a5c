// The printable one-page summary for the seeker: profile, kept options with gaps and trainings,
// date and data version.
import { gql } from "../api";
import { h, uid } from "../dom";
import { entryBlock, totalText } from "../entry";
import { lang, num, t } from "../i18n";
import { label, type Named } from "../profile";
import { save, skillGap, state, suggestions } from "../state";
import { errorBox } from "../widgets";

export function summaryView(root: HTMLElement): void {
  const p = state.profile;
  const body = h("div", { "aria-live": "polite" }, h("p", { class: "muted" }, t("loading")));
  const notesId = uid("notes");
  const date = new Date().toLocaleDateString(lang() === "fr" ? "fr-FR" : "en-GB", { year: "numeric", month: "long", day: "numeric" });
  const meta = h("p", { class: "muted", "data-testid": "summary-meta" }, t("sum.date", { date }));
  root.replaceChildren(
    h("div", { class: "view-head row spread" }, h("h2", null, t("sum.title")), h("button", { type: "button", class: "btn btn-primary no-print", "data-testid": "print", onclick: () => window.print() }, t("sum.print"))),
    h("article", { class: "summary card" }, meta, body,
      h("section", { class: "sum-notes" }, h("h3", null, h("label", { for: notesId }, t("sum.notes"))),
        h("textarea", { id: notesId, rows: "3", value: p.notes, oninput: (e: Event) => { p.notes = (e.target as HTMLTextAreaElement).value; save(); } }),
        h("p", { class: "print-only notes-print" }, p.notes)),
      h("p", { class: "small muted disclaimer" }, t("sum.disclaimer"))),
  );
  const load = async () => {
    const stats = await gql(`{ stats { version } interests(first: 50) { edges { node { id fr: label(lang: FR) en: label(lang: EN) } } } }`);
    const names = new Map<string, Named>(stats.interests.edges.map((e: any) => [e.node.id, e.node]));
    meta.textContent = `${t("sum.date", { date })} · ${t("sum.version", { version: stats.stats.version })}`;
    let options: Named[] = p.kept.slice(0, 5);
    let note: HTMLElement | null = null;
    if (!options.length) {
      options = (await suggestions()).slice(0, 3).map((s) => s.occupation);
      note = h("p", { class: "muted small" }, t("sum.noneKept"));
    }
    const gaps = await Promise.all(options.map((o) => skillGap(o.id)));
    const interests = Object.entries(p.interests)
      .filter(([, w]) => w > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([id, w]) => `${names.has(id) ? label(names.get(id)!) : id} (${t(`profile.interest.${w}`).toLowerCase()})`);
    body.replaceChildren(
      h("section", { class: "sum-profile" }, h("h3", null, t("sum.profile")),
        h("ul", null,
          h("li", null, t("sum.current", { v: p.current.concat(p.past).map(label).join(", ") || t("sum.none") })),
          h("li", null, t("sum.skills", { n: p.skills.filter((s) => s.checked).length })),
          h("li", null, t("sum.interests", { v: interests.join(", ") || t("sum.none") })))),
      h("section", null, h("h3", null, t("sum.options")), note,
        h("ol", { class: "sum-options" },
          gaps.map((g: any) => {
            const ess = g.missingSkills.filter((m: any) => m.essential);
            return h("li", { class: "sum-option", "data-testid": "summary-option" },
              h("h4", null, label(g.target)),
              entryBlock(g.target, g.trainingPlan, null),
              h("p", null, h("strong", null, t("sum.missing"), ` (${g.missingSkills.length})${t("colon")}`),
                ess.slice(0, 6).map((m: any) => label(m.skill)).join(" · ") || t("sum.none"),
                ess.length > 6 ? ` ${t("sugg.more", { n: g.missingSkills.length - 6 })}` : ""),
              h("p", { "data-testid": "summary-hours" }, h("strong", null, t("sum.plan"), t("colon")), totalText(g.trainingPlan)),
              h("ul", { class: "sum-plan" }, g.trainingPlan.steps.map((s: any) => h("li", null, `${label(s.training)} — ${num(s.hours)} h`, s.illustrative ? h("em", { class: "small" }, ` (${t("target.illustrative")})`) : ""))),
              g.trainingPlan.uncoveredSkills.length
                ? h("p", { class: "small" }, h("strong", null, t("sum.uncovered"), t("colon")), g.trainingPlan.uncoveredSkills.slice(0, 6).map((s: any) => label(s)).join(" · "), g.trainingPlan.uncoveredSkills.length > 6 ? " …" : "")
                : null);
          }))),
    );
  };
  load().catch((e) => body.replaceChildren(errorBox(e, () => summaryView(root))));
}
