// What every view shares: the profile (saved on each change), the route, cached look-ups.
import { ApiError, gql, profileInputFields } from "./api";
import { gqlLang } from "./i18n";
import { loadProfile, saveProfile, toInput, type Profile } from "./profile";

export const state: {
  profile: Profile;
  version: string;
  suggestions: any[] | null;
  suggestionsKey: string;
  communeIgnored: boolean;
} = { profile: loadProfile(), version: "", suggestions: null, suggestionsKey: "", communeIgnored: false };

export function save(): void {
  saveProfile(state.profile);
}

export interface Route {
  view: string;
  args: string[];
  params: URLSearchParams;
}

/** `#/view/arg1/arg2?k=v`: names occupations and views, never anything of the profile. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || "profile", args: parts.slice(1), params: new URLSearchParams(query) };
}

export function href(view: string, ...args: string[]): string {
  return `#/${[view, ...args.map(encodeURIComponent)].join("/")}`;
}

export function go(view: string, ...args: string[]): void {
  location.hash = href(view, ...args);
}

export async function profileInput(): Promise<Record<string, unknown>> {
  return toInput(state.profile, await profileInputFields());
}

const SUGGEST = `query Suggest($p: ProfileInput!, $first: Int!, $lang: Lang!) {
  suggestTransitions(profile: $p, first: $first, lang: $lang) {
    score
    occupation { id source code fr: label(lang: FR) en: label(lang: EN) groups { id fr: label(lang: FR) en: label(lang: EN) } }
    parts { skillFit affinityFit gapCost mobility localMobility }
    activeParts
    curatedMobility
    mobilityFrom { id fr: label(lang: FR) en: label(lang: EN) }
    sharedSkills { id }
    missingSkills { essential skill { id fr: label(lang: FR) en: label(lang: EN) } }
    trainingPlan { totalHours steps { hours training { id } } uncoveredSkills { id } }
    explanation
  }
}`;

/** Suggestions for the current profile, fetched once per profile state and language. */
export async function suggestions(first = 30): Promise<any[]> {
  const p = await profileInput();
  const key = JSON.stringify([p, first, gqlLang()]);
  if (state.suggestions && state.suggestionsKey === key) return state.suggestions;
  let d: any;
  state.communeIgnored = false;
  try {
    d = await gql(SUGGEST, { p, first, lang: gqlLang() });
  } catch (e) {
    // a commune the service has no employment area for: options without local moves,
    // said on the page, rather than no options at all
    if (!(e instanceof ApiError && e.code === "BAD_USER_INPUT" && /commune|area/.test(e.detail) && "commune" in p)) throw e;
    const { commune: _ignored, ...rest } = p;
    d = await gql(SUGGEST, { p: rest, first, lang: gqlLang() });
    state.communeIgnored = true;
  }
  state.suggestions = d.suggestTransitions;
  state.suggestionsKey = key;
  return d.suggestTransitions;
}

const GAP = `query Gap($p: ProfileInput!, $target: ID!, $opt: Boolean!) {
  skillGap(profile: $p, target: $target, includeOptional: $opt) {
    target { id code source fr: label(lang: FR) en: label(lang: EN) fr_d: description(lang: FR) en_d: description(lang: EN) }
    sharedSkills { id fr: label(lang: FR) en: label(lang: EN) kind }
    missingSkills { essential skill { id fr: label(lang: FR) en: label(lang: EN) kind } }
    trainingPlan {
      totalHours
      steps {
        hours illustrative
        training { id fr: label(lang: FR) en: label(lang: EN) ... on Training { provider certification } }
        covers { id fr: label(lang: FR) en: label(lang: EN) }
        prerequisites { id fr: label(lang: FR) en: label(lang: EN) }
      }
      uncoveredSkills { id fr: label(lang: FR) en: label(lang: EN) }
    }
  }
}`;

export async function skillGap(target: string, includeOptional = false): Promise<any> {
  // the gap does not depend on the place: the commune is left out
  const { commune: _ignored, ...p } = await profileInput();
  const d = await gql(GAP, { p, target, opt: includeOptional });
  return d.skillGap;
}
