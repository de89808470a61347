// Sharing a project and blind coding, on the project page: the owner's "Sharing" card (members,
// add by email and role, remove), "Assignments" (give a coder chosen documents or N drawn at
// random, see each coder's progress), a coder's own assignments with a link to code them, and the
// agreement per variable among the people and with the model. Every action is an API call; the
// service decides who may.

import * as api from "./api.js";
import { h, show, field, fieldError } from "./dom.js";

const roleNames = { owner: "Owner", coder: "Coder", viewer: "Viewer" };
const roleHints = {
  owner: "can do everything, sharing included",
  coder: "reads the documents and codebook and codes the documents assigned to them",
  viewer: "reads the documents, values, exports and agreement; changes nothing",
};

// Members of the project (owners only): who has it, with what role; add by email, remove.
export function sharingCard(id, notify, onChange) {
  const email = h("input", { type: "email", name: "email", autocomplete: "off", required: true, maxlength: "320" });
  const role = h(
    "select",
    { name: "role" },
    ["coder", "viewer", "owner"].map((name) => h("option", { value: name }, `${roleNames[name]}: ${roleHints[name]}`)),
  );
  const list = h("div", { id: "members", "aria-live": "polite" }, "Loading members…");
  const form = h(
    "form",
    { class: "inline-form", novalidate: true, "aria-label": "Share with an account" },
    field("Email of the account", email),
    field("Role", role),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "share" }, "Share")),
  );
  const card = h(
    "section",
    { class: "card", "aria-labelledby": "sharing-title", id: "sharing" },
    h("h2", { id: "sharing-title" }, "Sharing"),
    h("p", { class: "hint" }, "Share the project with accounts that have signed up. A coder codes the documents you assign them, without seeing the model's values."),
    list,
    form,
  );

  async function load() {
    const { items } = await api.get(`/projects/${id}/members`);
    show(list, membersTable(items));
    onChange?.(items);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(email, null);
    if (!email.value.trim().includes("@")) {
      fieldError(email, "Give the email the account signed up with.");
      email.focus();
      return;
    }
    try {
      const member = await api.put(`/projects/${id}/members`, { email: email.value.trim(), role: role.value });
      notify(`Shared with ${member.email} as ${roleNames[member.role].toLowerCase()}.`);
      email.value = "";
      await load();
    } catch (error) {
      if (error.status === 401) return;
      fieldError(email, error.message.charAt(0).toUpperCase() + error.message.slice(1));
      email.focus();
    }
  });

  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-user]");
    if (!button) return;
    button.disabled = true;
    try {
      await api.del(`/projects/${id}/members/${button.dataset.user}`);
      notify(`Removed ${button.dataset.email}.`);
      await load();
    } catch (error) {
      button.disabled = false;
      if (error.status !== 401) notify(error.message, "error");
    }
  });

  return { card, load };
}

function membersTable(members) {
  return h(
    "table",
    { id: "members-table" },
    h("thead", {}, h("tr", {}, ["Account", "Role", ""].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      members.map((member) =>
        h(
          "tr",
          { "data-role": member.role },
          h("th", { scope: "row" }, member.email ?? `account ${member.user_id}`),
          h("td", {}, roleNames[member.role] + (member.creator ? " (created the project)" : "")),
          h(
            "td",
            {},
            member.creator
              ? ""
              : h(
                  "button",
                  { type: "button", class: "secondary small", "data-user": member.user_id, "data-email": member.email ?? "", "aria-label": `Remove ${member.email ?? member.user_id}` },
                  "Remove",
                ),
          ),
        ),
      ),
    ),
  );
}

// The owner's assignments: give a coder documents, see every coder's progress.
export function assignmentsCard(id, notify) {
  const coder = h("select", { name: "coder", id: "assign-coder" }, h("option", { value: "" }, "No coders yet: share the project as coder first"));
  const count = h("input", { type: "number", id: "assign-count", min: 1, step: 1, value: 10, inputmode: "numeric" });
  const chosen = h("input", { type: "text", id: "assign-documents", autocomplete: "off", placeholder: "e.g. 3, 7, 12" });
  const progress = h("div", { id: "assignments", "aria-live": "polite" }, "Loading assignments…");
  const form = h(
    "form",
    { class: "inline-form", novalidate: true, "aria-label": "Assign documents to a coder" },
    field("Coder", coder),
    field("Number of documents drawn at random", count),
    field("Or these document ids", chosen),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "assign" }, "Assign blind")),
  );
  const card = h(
    "section",
    { class: "card", "aria-labelledby": "assignments-title", id: "assignments-card" },
    h("h2", { id: "assignments-title" }, "Assignments"),
    h("p", { class: "hint" }, "A coder codes their documents blind: the model's values of those documents stay hidden from them. Their codes count in the agreement below."),
    form,
    progress,
  );

  function setCoders(members) {
    const coders = members.filter((member) => member.role === "coder" && member.email);
    show(
      coder,
      coders.length === 0
        ? h("option", { value: "" }, "No coders yet: share the project as coder first")
        : coders.map((member) => h("option", { value: member.email }, member.email)),
    );
  }

  async function load() {
    const { items } = await api.get(`/projects/${id}/assignments`);
    show(progress, items.length === 0 ? h("p", { class: "empty" }, "No documents assigned yet.") : workTable(items, false));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(coder, null);
    fieldError(chosen, null);
    if (!coder.value) {
      fieldError(coder, "Share the project with a coder first.");
      return;
    }
    const ids = chosen.value.split(/[\s,]+/).filter(Boolean);
    const request = { email: coder.value };
    if (ids.length > 0) {
      if (ids.some((text) => !/^[0-9]+$/.test(text))) {
        fieldError(chosen, "Document ids are whole numbers, separated by commas.");
        chosen.focus();
        return;
      }
      request.document_ids = ids.map(Number);
    } else {
      request.count = Number(count.value);
    }
    try {
      const work = await api.post(`/projects/${id}/assignments`, request);
      notify(`${work.email} has ${work.assigned} document(s) to code, ${work.coded} coded.`);
      chosen.value = "";
      await load();
    } catch (error) {
      if (error.status === 401) return;
      fieldError(error.field === "document_ids" ? chosen : coder, error.message.charAt(0).toUpperCase() + error.message.slice(1));
    }
  });

  return { card, load, setCoders };
}

// A coder's (or viewer's) own assignments, with a link to code them.
export function myAssignmentsCard(id) {
  const body = h("div", { id: "my-assignments", "aria-live": "polite" }, "Loading your assignments…");
  const card = h(
    "section",
    { class: "card", "aria-labelledby": "my-assignments-title" },
    h("h2", { id: "my-assignments-title" }, "Your assignments"),
    body,
  );
  async function load() {
    const { items } = await api.get(`/projects/${id}/assignments`);
    const mine = items[0];
    if (!mine || mine.assigned === 0) return show(body, h("p", { class: "empty" }, "Nothing is assigned to you in this project yet."));
    show(
      body,
      h("p", { id: "my-progress" }, `${mine.coded} of ${mine.assigned} document(s) coded.`, " ", h("progress", { max: mine.assigned, value: mine.coded, "aria-label": "Coded" })),
      h("p", {}, h("a", { href: `#/projects/${id}/code`, id: "open-coding", class: "button" }, mine.coded < mine.assigned ? "Code your documents" : "Look over your codes")),
      workTable([mine], true),
    );
  }
  return { card, load };
}

function workTable(items, own) {
  return h(
    "table",
    { class: "assignments" },
    h("thead", {}, h("tr", {}, ["Coder", "Coded", "Documents"].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      items.map((work) =>
        h(
          "tr",
          { "data-coder": work.email ?? work.user_id },
          h("th", { scope: "row" }, own ? "You" : work.email ?? `account ${work.user_id}`),
          h("td", { class: "number" }, `${work.coded} of ${work.assigned}`),
          h("td", {}, work.items.map((item) => `${item.external_id}${item.coded ? " ✓" : ""}`).join(", ")),
        ),
      ),
    ),
  );
}

// Agreement per variable among the people and with the model (owners and viewers).
export function agreementCard(id) {
  const body = h("div", { id: "agreement", "aria-live": "polite" }, "Loading agreement…");
  const card = h(
    "section",
    { class: "card", "aria-labelledby": "agreement-title" },
    h("h2", { id: "agreement-title" }, "Agreement"),
    h("p", { class: "hint" }, "Krippendorff's α per variable with its 95 % bootstrap interval, among the people who coded and with the model as one more coder. α ≥ .800 is reliable, ≥ .667 tentative."),
    body,
  );
  async function load() {
    try {
      const { items } = await api.get(`/projects/${id}/agreement`);
      const coded = items.filter((item) => item.people.length > 0);
      show(body, coded.length === 0 ? h("p", { class: "empty" }, "No one has coded documents of this project yet.") : agreementTable(coded));
    } catch (error) {
      if (error.status === 401) return;
      show(body, h("p", { class: "empty" }, error.message));
    }
  }
  return { card, load };
}

function figure(report) {
  if (!report || report.alpha?.value == null) return "–";
  const { value, lower, upper } = report.alpha;
  const interval = lower != null && upper != null ? ` [${lower.toFixed(3)}, ${upper.toFixed(3)}]` : "";
  return `${value.toFixed(3)}${interval} · ${report.units} document(s)${report.verdict ? ` · ${report.verdict}` : ""}`;
}

function agreementTable(items) {
  return h(
    "table",
    { id: "agreement-table" },
    h("thead", {}, h("tr", {}, ["Variable", "People", "α among people", "α people with the model"].map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      items.map((item) =>
        h(
          "tr",
          { "data-variable": item.variable },
          h("th", { scope: "row" }, item.variable),
          h("td", {}, item.people.join(", ")),
          h("td", {}, figure(item.among_people)),
          h("td", {}, figure(item.with_model)),
        ),
      ),
    ),
  );
}
