// What every view shares: the profile (saved on each change), the route, cached look-ups.
import { ApiError, gql, profileInputFields } from "./api";
import { gqlLang } from "./i18n";
import { isEmpty, loadProfile, saveProfile, toInput, type Profile } from "./profile";

export const state: {
  profile: Profile;
  version: string;
  suggestions: any[] | null;
  suggestionsKey: string;
  communeIgnored: boolean;
  first: number; // options asked for: PAGE, then more on demand
} = { profile: loadProfile(), version: "", suggestions: null, suggestionsKey: "", communeIgnored: false, first: 20 };

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

// One language for labels (the interface's): half the label reads of asking FR and EN.
const SUGGEST = `query Suggest($p: ProfileInput!, $first: Int!, $lang: Lang!) {
  suggestTransitions(profile: $p, first: $first, lang: $lang) {
    score
    occupation { id source code label(lang: $lang) entryLevel regulated requiredDiploma groups { id label(lang: $lang) } }
    parts { skillFit similarity affinityFit gapCost mobility localMobility observedMobility feasibility }
    activeParts
    curatedMobility
    levelStep
    mobilityFrom { id label(lang: $lang) }
    inferredInterests { id label(lang: $lang) }
    interestsFrom { id source code label(lang: $lang) }
    sharedSkills { id }
    missingSkills { essential skill { id label(lang: $lang) } }
    trainingPlan { totalHours catalogueHours estimatedHours regulated requiredDiploma uncoveredSkills { id } }
    explanation
  }
}`;

/** Options asked for at first; "more" asks for this many again. */
export const PAGE = 20;

/** Every label of an answer asked in one language, stored as the fr/en pair the page's
 * `label()` reads (the other language left empty: `label()` falls back to it). */
export function oneLang<T>(data: T): T {
  const key = gqlLang() === "FR" ? "fr" : "en";
  const walk = (v: any): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if (typeof v.label === "string" && v.fr === undefined && v.en === undefined) {
        v.fr = key === "fr" ? v.label : "";
        v.en = key === "en" ? v.label : "";
      }
      for (const x of Object.values(v)) if (x && typeof x === "object") walk(x);
    }
  };
  walk(data);
  return data;
}

let inflight: { key: string; promise: Promise<any[]> } | null = null;
let prefetchTimer = 0;

/** Starts computing the options shortly after the profile changes (debounced: a burst of
 * ticks sends one request), so they are ready, or on their way, when the options open. */
export function prefetchSuggestions(delay = 250): void {
  window.clearTimeout(prefetchTimer);
  state.first = PAGE; // a new profile starts from the first page of options again
  prefetchTimer = window.setTimeout(() => {
    if (!isEmpty(state.profile)) suggestions(state.first, true).catch(() => undefined);
  }, delay);
}

async function fetchSuggestions(p: Record<string, unknown>, first: number, background: boolean): Promise<any[]> {
  const vars = { first, lang: gqlLang() };
  try {
    return oneLang((await gql(SUGGEST, { p, ...vars }, background)).suggestTransitions);
  } catch (e) {
    // a commune the service has no employment area for: options without local moves,
    // said on the page, rather than no options at all
    if (!(e instanceof ApiError && e.code === "BAD_USER_INPUT" && /commune|area/.test(e.detail) && "commune" in p)) throw e;
    const { commune: _ignored, ...rest } = p;
    const found = oneLang((await gql(SUGGEST, { p: rest, ...vars }, background)).suggestTransitions);
    state.communeIgnored = true;
    return found;
  }
}

/** Suggestions for the current profile, fetched once per profile state, language and
 * length; a request already on its way for the same is shared, not sent again. */
export async function suggestions(first = state.first, background = false): Promise<any[]> {
  if (!background) window.clearTimeout(prefetchTimer);
  const p = await profileInput();
  const key = JSON.stringify([p, first, gqlLang()]);
  if (state.suggestions && state.suggestionsKey === key) return state.suggestions;
  if (inflight && inflight.key === key) return inflight.promise;
  state.communeIgnored = false;
  const promise = fetchSuggestions(p, first, background).then((found) => {
    state.suggestions = found;
    state.suggestionsKey = key;
    return found;
  });
  inflight = { key, promise };
  try {
    return await promise;
  } finally {
    if (inflight?.key === key) inflight = null;
  }
}

const GAP = `query Gap($p: ProfileInput!, $target: ID!, $opt: Boolean!) {
  skillGap(profile: $p, target: $target, includeOptional: $opt) {
    target { id code source fr: label(lang: FR) en: label(lang: EN) entryLevel regulated requiredDiploma }
    sharedSkills { id fr: label(lang: FR) en: label(lang: EN) kind }
    missingSkills { essential skill { id fr: label(lang: FR) en: label(lang: EN) kind } }
    trainingPlan {
      totalHours catalogueHours estimatedHours regulated requiredDiploma
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
