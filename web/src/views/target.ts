// Step 3: one target job: what is missing, and the training plan that covers it.
import { h, uid } from "../dom";
import { entryBlock, totalText } from "../entry";
import { num, t } from "../i18n";
import { isEmpty, label } from "../profile";
import { go, href, save, skillGap, state } from "../state";
import { autocomplete, errorBox } from "../widgets";
import { isKept } from "./suggestions";

export function targetView(root: HTMLElement, args: string[], params: URLSearchParams): void {
  const head = h("div", { class: "view-head" }, h("h2", null, t("target.title")), h("p", { class: "lead" }, t("target.intro")));
  const chooser = autocomplete({ label: t("target.choose"), kinds: ["OCCUPATION"], testid: "target-search", onPick: (hit) => go("target", hit.id) });
  const target = args[0];
  if (!target) {
    root.replaceChildren(head, h("div", { class: "card" }, chooser));
    return;
  }
  if (isEmpty(state.profile)) {
    root.replaceChildren(head, h("div", { class: "card" }, h("p", null, t("target.needProfile")), h("a", { class: "btn btn-primary", href: href("profile") }, t("nav.profile"))), h("div", { class: "card" }, chooser));
    return;
  }
  const body = h("div", { "aria-live": "polite" }, h("p", { class: "muted" }, t("loading")));
  const optional = params.get("optional") === "1";
  root.replaceChildren(head, body);
  const load = () =>
    skillGap(target, optional)
      .then((g) => {
        const plan = g.trainingPlan;
        const essential = g.missingSkills.filter((m: any) => m.essential);
        const optionalMissing = g.missingSkills.filter((m: any) => !m.essential);
        const optId = uid("opt");
        const kept = isKept(g.target.id);
        body.replaceChildren(
          h(
            "div",
            { class: "card target-head" },
            h("h3", { "data-testid": "target-label" }, label(g.target)),
            h("p", { class: "muted small" }, g.target.source.startsWith("rome") ? `ROME ${g.target.code ?? ""}` : `ESCO ${g.target.code ?? ""}`),
            entryBlock(g.target, plan, null),
            h(
              "div",
              { class: "row" },
              h("button", {
                type: "button",
                class: "btn",
                "aria-pressed": kept ? "true" : "false",
                onclick: () => {
                  if (kept) state.profile.kept = state.profile.kept.filter((k) => k.id !== g.target.id);
                  else state.profile.kept.push({ id: g.target.id, fr: g.target.fr, en: g.target.en });
                  save();
                  targetView(root, args, params);
                },
              }, kept ? t("sugg.kept") : t("sugg.keep")),
              h("a", { class: "btn", href: href("path", state.profile.current[0]?.id ?? "", g.target.id), "data-testid": "to-path" }, t("target.path")),
            ),
          ),
          h(
            "div",
            { class: "grid2" },
            h(
              "section",
              { class: "card", "aria-label": t("target.missing") },
              h("h3", null, t("target.missing"), ` (${g.missingSkills.length})`),
              g.missingSkills.length === 0 ? h("p", null, t("target.noMissing")) : null,
              h("ul", { class: "skill-list", "data-testid": "missing", tabindex: "0", "aria-label": t("target.missing") },
                essential.map((m: any) => h("li", null, label(m.skill), " ", h("span", { class: "tag tag-ess" }, t("target.essential")))),
                optionalMissing.map((m: any) => h("li", null, label(m.skill), " ", h("span", { class: "tag" }, t("target.optional"))))),
            ),
            h(
              "section",
              { class: "card", "aria-label": t("target.shared") },
              h("h3", null, t("target.shared"), ` (${g.sharedSkills.length})`),
              h("ul", { class: "skill-list muted-list", tabindex: "0", "aria-label": t("target.shared") }, g.sharedSkills.map((s: any) => h("li", null, label(s)))),
            ),
          ),
          h(
            "section",
            { class: "card plan", "aria-label": t("target.plan"), "data-testid": "plan" },
            h("h3", null, t("target.plan")),
            h("div", { class: "field check" },
              h("input", { type: "checkbox", id: optId, checked: optional, onchange: (e: Event) => { location.hash = href("target", target) + ((e.target as HTMLInputElement).checked ? "?optional=1" : ""); } }),
              h("label", { for: optId }, t("target.includeOptional"))),
            h("p", { class: "total", "data-testid": "plan-total" }, totalText(plan)),
            h(
              "ol",
              { class: "steps" },
              plan.steps.map((s: any, i: number) =>
                h(
                  "li",
                  { class: "step" },
                  h("div", { class: "step-head" }, h("span", { class: "step-n" }, t("target.step", { n: i + 1 })), h("strong", null, label(s.training)), h("span", { class: "hours" }, `${num(s.hours)} h`)),
                  s.illustrative ? h("p", { class: "warn small" }, "⚠ ", t("target.illustrative")) : null,
                  h("p", { class: "small" }, h("strong", null, t("target.covers"), t("colon")), s.covers.map((c: any) => label(c)).join(" · ")),
                  s.prerequisites.length ? h("p", { class: "small" }, h("strong", null, t("target.prereq"), t("colon")), s.prerequisites.map((c: any) => label(c)).join(" · ")) : null,
                ),
              ),
            ),
            h("h4", null, t("target.uncovered"), ` (${plan.uncoveredSkills.length})`),
            plan.estimatedHours > 0 ? h("p", { class: "muted small" }, t("target.estimated", { e: num(plan.estimatedHours) })) : null,
            plan.uncoveredSkills.length
              ? h("ul", { class: "inline-list", "data-testid": "uncovered" }, plan.uncoveredSkills.map((s: any) => h("li", null, label(s))))
              : h("p", { class: "muted" }, t("target.uncoveredNone")),
          ),
        );
      })
      .catch((e) => body.replaceChildren(errorBox(e, load)));
  load();
}
