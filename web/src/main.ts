// The orientation guide: one page, hash routes, French by default with an English switch.
import "./style.css";
import { gql, onBusy, onStoreState, ready } from "./api";
import { $, h } from "./dom";
import { setLang, t, type Lang } from "./i18n";
import { parseRoute, state } from "./state";
import { mapView } from "./views/map";
import { pathView } from "./views/path";
import { pilotageView } from "./views/pilotage";
import { profileView } from "./views/profile";
import { suggestionsView } from "./views/suggestions";
import { summaryView } from "./views/summary";
import { targetView } from "./views/target";

const VIEWS = ["profile", "suggestions", "target", "path", "map", "summary", "pilotage"];
const LANG_KEY = "cartonet.lang";

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "en" || fromUrl === "fr") return fromUrl;
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "en" || saved === "fr") return saved;
  } catch {
    /* no storage */
  }
  return "fr";
}

function chrome(view: string): void {
  document.title = `${t(`nav.${view}`).replace(/^\d\.\s*/, "")} — Carto.net`;
  ($("brand-sub") as HTMLElement).textContent = t("brandSub");
  const skip = document.querySelector(".skip");
  if (skip) skip.textContent = t("skip");
  const nav = $("nav");
  nav.setAttribute("aria-label", t("navLabel"));
  nav.replaceChildren(
    h(
      "ul",
      null,
      VIEWS.map((v) =>
        h("li", null, h("a", { href: `#/${v}`, "aria-current": v === view ? "page" : undefined, "data-testid": `nav-${v}` }, t(`nav.${v}`))),
      ),
    ),
  );
  const sw = $("lang-switch");
  sw.textContent = t("switchTo");
  sw.setAttribute("aria-label", t("switchToLabel"));
  sw.setAttribute("lang", t("switchTo") === "English" ? "en" : "fr");
  $("footer").textContent = t("footer", { version: state.version || "…" });
}

function render(): void {
  const route = parseRoute(location.hash);
  const view = VIEWS.includes(route.view) ? route.view : "profile";
  chrome(view);
  const main = $("main");
  main.replaceChildren();
  main.setAttribute("data-view", view);
  if (view === "profile") profileView(main);
  else if (view === "suggestions") suggestionsView(main);
  else if (view === "target") targetView(main, route.args, route.params);
  else if (view === "path") pathView(main, route.args, route.params);
  else if (view === "map") mapView(main, route.args);
  else if (view === "pilotage") pilotageView(main);
  else summaryView(main);
}

function setBanner(down: boolean): void {
  const b = $("banner");
  b.hidden = !down;
  b.textContent = down ? t("storeDown") : "";
}

// The skip link is an in-page jump, not a route: following it as a hash would re-render the
// page (and send any other view back to the profile), wiping what was just typed.
document.querySelector(".skip")?.addEventListener("click", (event) => {
  event.preventDefault();
  $("main").focus();
});

let lastView = "";
window.addEventListener("hashchange", () => {
  if (location.hash && !location.hash.startsWith("#/")) return; // an anchor, not a view
  const view = parseRoute(location.hash).view;
  render();
  // move focus to the new content so keyboard and screen reader users follow the step
  if (view !== lastView) $("main").focus({ preventScroll: false });
  lastView = view;
});

$("lang-switch").addEventListener("click", () => {
  const next: Lang = document.documentElement.lang === "fr" ? "en" : "fr";
  setLang(next);
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    /* no storage */
  }
  render();
  $("lang-switch").focus();
});

// progress: shown only when something takes longer than 300 ms
let timer = 0;
onBusy((busy) => {
  const p = $("progress");
  window.clearTimeout(timer);
  if (busy) {
    timer = window.setTimeout(() => {
      p.hidden = false;
      (p.querySelector(".txt") as HTMLElement).textContent = t("loading");
    }, 300);
  } else {
    p.hidden = true;
    (p.querySelector(".txt") as HTMLElement).textContent = "";
  }
});
onStoreState(setBanner);

async function checkReady(): Promise<void> {
  setBanner(!(await ready()));
}

setLang(initialLang());
lastView = parseRoute(location.hash).view;
render();
checkReady();
window.setInterval(checkReady, 30000);
gql(`{ stats { version } }`)
  .then((d) => {
    state.version = d.stats.version;
    $("footer").textContent = t("footer", { version: state.version });
  })
  .catch(() => undefined);
