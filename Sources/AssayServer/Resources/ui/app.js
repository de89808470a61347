// The workbench's shell: who is signed in, which view the address names (#/projects,
// #/projects/ID, #/projects/ID/review, #/projects/ID/refine, #/projects/ID/quality, #/projects/ID/codebook, #/projects/ID/code[/DOCUMENT]), and the notice line. Each view is a module with `render(view, context)`.

import * as api from "./api.js";
import * as session from "./session.js";
import { h, show } from "./dom.js";
import * as signin from "./signin.js";
import * as projects from "./projects.js";
import * as project from "./project.js";
import * as review from "./review.js";
import * as refine from "./refine.js";
import * as quality from "./quality.js";
import * as code from "./code.js";
import * as codebook from "./codebook.js";

// "accounts" (assay serve) or "local" (assay ui: one person, no account), set by the service.
const mode = document.documentElement.dataset.mode === "local" ? "local" : "accounts";

// Local mode: the launch's key comes in the address's fragment (#key=…), which the browser never
// sends to the service. It is kept for this tab and removed from the address bar and history.
function takeLocalKey() {
  const match = /^#key=([A-Za-z0-9_-]{16,200})$/.exec(location.hash);
  if (!match) return;
  if (mode === "local") session.save({ kind: "local", token: match[1] });
  history.replaceState(null, "", `${location.pathname}#/projects`);
}

// A notice stays for the view that follows it, then goes.
let noticeIsNew = false;

export function notify(message, kind = "info") {
  const notice = document.getElementById("notice");
  notice.className = `notice notice-${kind}`;
  show(notice, message ?? "");
  noticeIsNew = true;
}

function renderAccount(current) {
  const nav = document.getElementById("account");
  if (!current) return show(nav);
  const who = current.kind === "local" ? "Local mode: this computer's projects" : current.email;
  show(
    nav,
    h("span", { class: "who" }, who),
    h("button", { type: "button", class: "secondary", id: "sign-out", onclick: signOut }, "Sign out"),
  );
}

async function signOut() {
  const wasLocal = session.load()?.kind === "local";
  await api.signOut();
  notify(wasLocal ? "Signed out. Open the address assay ui printed to come back." : "Signed out.");
  go("#/signin");
}

function route() {
  if (!noticeIsNew) show(document.getElementById("notice"));
  noticeIsNew = false;
  const current = session.load();
  renderAccount(current);
  const main = document.getElementById("main");
  const view = h("div", { class: "view" });
  show(main, view);
  if (!current) return signin.render(view, { mode, signedIn: () => go("#/projects") });
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "") && parts[2] === "review") {
    return review.render(view, { id: Number(parts[1]), notify });
  }
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "") && parts[2] === "refine") {
    return refine.render(view, { id: Number(parts[1]), notify });
  }
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "") && parts[2] === "quality") {
    return quality.render(view, { id: Number(parts[1]), notify });
  }
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "") && parts[2] === "codebook") {
    return codebook.render(view, { id: Number(parts[1]), notify });
  }
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "") && parts[2] === "code") {
    const documentID = /^[0-9]+$/.test(parts[3] ?? "") ? Number(parts[3]) : null;
    return code.render(view, { id: Number(parts[1]), documentID, notify, go });
  }
  if (parts[0] === "projects" && /^[0-9]+$/.test(parts[1] ?? "")) {
    return project.render(view, { id: Number(parts[1]), notify });
  }
  return projects.render(view, { notify, open: (id) => go(`#/projects/${id}`) });
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

api.whenSignedOut((ended) => {
  if (ended) {
    const what =
      mode === "local"
        ? "Your session has ended: this key is not accepted (each launch of assay ui makes a new one). Open the address it printed."
        : "Your session has ended. Sign in again.";
    notify(what, "error");
  }
  go("#/signin");
});

takeLocalKey();
// An address pasted into an open tab changes only the fragment: the key may come that way too.
window.addEventListener("hashchange", () => {
  takeLocalKey();
  route();
});
route();
