// The seeker's profile: kept in this browser only (localStorage), exported and imported as a
// JSON file. Shareable links never carry it.
import { lang } from "./i18n";

export interface Named {
  id: string;
  fr: string;
  en: string;
}

export interface HeldSkill extends Named {
  kind: string | null;
  essential: boolean;
  checked: boolean;
  added: boolean;
}

export interface Profile {
  version: 1;
  current: Named[];
  past: Named[];
  skills: HeldSkill[];
  interests: Record<string, number>; // interest id -> 0 (not at all), 1 (a little), 2 (a lot)
  likedJobs: Named[];
  dislikedJobs: Named[];
  likedFields: Named[];
  dislikedFields: Named[];
  likedSkills: Named[];
  dislikedSkills: Named[];
  maxHours: number | null;
  avoidFields: Named[];
  commune: string;
  education: number | null; // highest diploma on the entry scale (2..8), null: not given
  longTraining: boolean; // open to a long training or a state diploma
  kept: Named[]; // options kept for the summary
  notes: string;
}

const KEY = "cartonet.profile";

export function emptyProfile(): Profile {
  return {
    version: 1,
    current: [],
    past: [],
    skills: [],
    interests: {},
    likedJobs: [],
    dislikedJobs: [],
    likedFields: [],
    dislikedFields: [],
    likedSkills: [],
    dislikedSkills: [],
    maxHours: null,
    avoidFields: [],
    commune: "",
    education: null,
    longTraining: false,
    kept: [],
    notes: "",
  };
}

export function label(n: Named): string {
  return lang() === "fr" ? n.fr || n.en : n.en || n.fr;
}

/** A profile read from untrusted JSON (a file, localStorage): unknown keys dropped, every
 * list checked, so a bad file cannot break the page. */
export function parseProfile(raw: unknown): Profile | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return null;
  const p = emptyProfile();
  const named = (v: unknown): Named[] =>
    Array.isArray(v)
      ? v
          .filter((x) => x && typeof x === "object" && typeof (x as Named).id === "string")
          .map((x) => ({ id: (x as Named).id, fr: String((x as Named).fr ?? ""), en: String((x as Named).en ?? "") }))
      : [];
  for (const k of ["current", "past", "likedJobs", "dislikedJobs", "likedFields", "dislikedFields", "likedSkills", "dislikedSkills", "avoidFields", "kept"] as const) {
    p[k] = named(r[k]);
  }
  if (Array.isArray(r.skills)) {
    p.skills = r.skills
      .filter((x) => x && typeof x === "object" && typeof x.id === "string")
      .map((x) => ({
        id: x.id,
        fr: String(x.fr ?? ""),
        en: String(x.en ?? ""),
        kind: typeof x.kind === "string" ? x.kind : null,
        essential: !!x.essential,
        checked: x.checked !== false,
        added: !!x.added,
      }));
  }
  if (r.interests && typeof r.interests === "object") {
    for (const [k, v] of Object.entries(r.interests as Record<string, unknown>)) {
      if (typeof v === "number" && v >= 0 && v <= 2) p.interests[k] = Math.round(v);
    }
  }
  if (typeof r.maxHours === "number" && r.maxHours > 0) p.maxHours = r.maxHours;
  if (typeof r.commune === "string") p.commune = r.commune.slice(0, 100);
  if (typeof r.education === "number" && r.education >= 2 && r.education <= 8) p.education = Math.round(r.education);
  p.longTraining = r.longTraining === true;
  if (typeof r.notes === "string") p.notes = r.notes.slice(0, 5000);
  return p;
}

export function loadProfile(): Profile {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return parseProfile(JSON.parse(raw)) ?? emptyProfile();
  } catch {
    /* storage unavailable or corrupt: start afresh */
  }
  return emptyProfile();
}

export function saveProfile(p: Profile): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    /* private mode: the profile lives for this page only */
  }
}

export function isEmpty(p: Profile): boolean {
  return p.current.length + p.past.length === 0 && !p.skills.some((s) => s.checked);
}

/** The GraphQL ProfileInput. ``fields`` are the input fields the service knows (by
 * introspection): the commune goes out only when the service has a field for it. */
export function toInput(p: Profile, fields: Set<string>): Record<string, unknown> {
  const ids = (xs: Named[]) => xs.map((x) => x.id);
  const input: Record<string, unknown> = {
    currentOccupations: ids(p.current),
    pastOccupations: ids(p.past),
    skills: p.skills.filter((s) => s.checked).map((s) => ({ id: s.id, level: 1 })),
    interests: Object.entries(p.interests)
      .filter(([, w]) => w > 0)
      .map(([id, w]) => ({ id, weight: w })),
    likedSkills: ids(p.likedSkills),
    dislikedSkills: ids(p.dislikedSkills),
    likedOccupations: ids(p.likedJobs),
    dislikedOccupations: ids(p.dislikedJobs),
    likedGroups: ids(p.likedFields),
    dislikedGroups: ids(p.dislikedFields),
    constraints: { maxTrainingHours: p.maxHours, avoidGroups: ids(p.avoidFields) },
  };
  // skills a job requires that the counsellor unticked: the engine must not count them held
  const unticked = p.skills.filter((s) => !s.checked).map((s) => s.id);
  if (unticked.length && fields.has("lackingSkills")) input.lackingSkills = unticked;
  if (p.education != null && fields.has("educationLevel")) input.educationLevel = p.education;
  if (p.longTraining && fields.has("openToLongTraining")) input.openToLongTraining = true;
  if (validCommune(p.commune) && fields.has("commune")) input.commune = p.commune.trim().toUpperCase();
  return input;
}

/** An INSEE commune code: 5 characters, digits (Corsica: 2A/2B). */
export function validCommune(code: string): boolean {
  return /^(\d{2}|2[AB])\d{3}$/i.test(code.trim());
}

export function exportProfile(p: Profile): void {
  const blob = new Blob([JSON.stringify(p, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `profil-cartonet-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
