// What issue 14 added to an option: entry level, required diploma, and a training plan whose
// hours are split between real catalogue trainings and an estimate for what none covers.
import { h } from "./dom";
import { num, t } from "./i18n";

/** Catalogue hours and estimated hours, never summed without saying so. */
export function hoursText(plan: any): string {
  const cat = Number(plan.catalogueHours ?? plan.totalHours ?? 0);
  const est = Number(plan.estimatedHours ?? 0);
  const uncovered = (plan.uncoveredSkills ?? []).length;
  if (cat <= 0 && est <= 0) return t("hours.none");
  if (est <= 0) return t("hours.catalogue", { h: num(cat) });
  if (cat <= 0) return t("hours.estimatedOnly", { e: num(est), n: uncovered });
  return t("hours.both", { h: num(cat), e: num(est), n: uncovered });
}

/** The plan's total line: the total, then its two parts. */
export function totalText(plan: any): string {
  const est = Number(plan.estimatedHours ?? 0);
  const total = t("target.total", { h: num(plan.totalHours) });
  if (est <= 0) return `${total} (${t("hours.allCatalogue")})`;
  return `${total} = ${t("hours.split", { h: num(plan.catalogueHours), e: num(est) })}`;
}

export function levelName(level: number | null | undefined): string {
  return level == null ? "" : t(`level.${level}`);
}

/** Entry level and diploma of an occupation, and what they mean for this seeker. */
export function entryBlock(occ: any, plan: any, levelStep: number | null | undefined): HTMLElement | null {
  const parts: (HTMLElement | string)[] = [];
  if (occ.entryLevel != null) {
    let text = t("entry.level", { level: levelName(occ.entryLevel) });
    if (levelStep != null && levelStep > 0) text += ` — ${t("entry.above", { n: levelStep })}`;
    parts.push(h("span", { "data-testid": "entry-level" }, text));
  }
  const diploma = plan?.requiredDiploma ?? occ.requiredDiploma;
  if (plan?.regulated || occ.regulated) {
    parts.push(
      h(
        "span",
        { class: plan?.regulated ? "warn" : "", "data-testid": "required-diploma" },
        diploma ? t("entry.diploma", { d: diploma }) : t("entry.regulated"),
        plan?.regulated ? ` — ${t("entry.notHeld")}` : "",
      ),
    );
  }
  if (!parts.length) return null;
  return h("p", { class: "entry small" }, ...parts.flatMap((p, i) => (i ? [" · ", p] : [p])));
}
