// The only way the page talks to the service: POST /graphql (so a profile never lands in a
// URL or an access log), plus GET /readyz for the outage banner.
import { t } from "./i18n";

export class ApiError extends Error {
  constructor(
    public code: string,
    public detail: string,
    public ref = "",
  ) {
    super(`${code}: ${detail}`);
  }

  /** The error in words a counsellor understands, in the interface language. */
  human(): string {
    if (this.code === "BAD_USER_INPUT" && /commune|area/.test(this.detail)) return t("err.BAD_USER_INPUT.commune");
    const key = `err.${this.code}`;
    const text = t(key, { detail: this.detail, ref: this.ref || "—" });
    return text === key ? t("err.UNKNOWN") : text;
  }
}

type Listener = (busy: boolean) => void;
let pending = 0;
const listeners: Listener[] = [];
export function onBusy(l: Listener): void {
  listeners.push(l);
}
function busy(delta: number): void {
  pending += delta;
  for (const l of listeners) l(pending > 0);
}

let storeListener: ((down: boolean) => void) | null = null;
export function onStoreState(l: (down: boolean) => void): void {
  storeListener = l;
}

/** `background`: a request the counsellor did not ask for (a prefetch) shows no progress. */
export async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, background = false): Promise<T> {
  const step = background ? 0 : 1;
  busy(step);
  let body: any;
  try {
    let r: Response;
    try {
      r = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ApiError("NETWORK", "");
    }
    try {
      body = await r.json();
    } catch {
      throw new ApiError(r.status === 503 ? "STORE_UNAVAILABLE" : "NETWORK", String(r.status));
    }
  } finally {
    busy(-step);
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const ext = e.extensions || {};
    const code = String(ext.code || "UNKNOWN");
    if (code === "STORE_UNAVAILABLE") storeListener?.(true);
    throw new ApiError(code, ext.argument ? String(ext.argument) : String(e.message || ""), String(ext.errorId || ""));
  }
  storeListener?.(false);
  return body.data as T;
}

export async function ready(): Promise<boolean> {
  try {
    const r = await fetch("/readyz", { headers: { Accept: "application/json" } });
    return r.ok;
  } catch {
    return false;
  }
}

let inputFields: Promise<Set<string>> | null = null;
/** The fields of ProfileInput, by introspection: the commune is only sent when the service
 * knows it, so this page works with the service before and after it learns about places. */
export function profileInputFields(): Promise<Set<string>> {
  if (!inputFields) {
    inputFields = gql<{ __type: { inputFields: { name: string }[] } | null }>(
      `{ __type(name: "ProfileInput") { inputFields { name } } }`,
    )
      .then((d) => new Set((d.__type?.inputFields ?? []).map((f) => f.name)))
      .catch(() => {
        inputFields = null;
        return new Set<string>();
      });
  }
  return inputFields;
}
