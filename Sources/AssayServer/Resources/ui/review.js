// The review queue (#/projects/ID/review): the project's values, those that most need a person
// first (the service's order=review), filtered by variable, status or document. The value in
// hand shows beside its document's text with the evidence marked; the person gives a verdict
// from the keyboard, and can accept several values at once with one reason.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading } from "./dom.js";
import { details, documentText, feedbackList, shown, statusNames, verdictNames } from "./evidence.js";

const pageSize = 50;
// The keys, as the legend shows them; none acts while the person types in a field.
const keys = [
  ["j", "next value"],
  ["k", "previous value"],
  ["a", "accept: the value is correct"],
  ["c", "correct it: type the right value"],
  ["p", "partly right: type the right value"],
  ["i", "incorrect: say why in the note"],
  ["n", "write a note"],
  ["Esc", "leave the field"],
];

export async function render(view, { id, notify }) {
  const state = { asked: 0, items: [], total: 0, offset: 0, index: 0, documents: new Map(), reviewed: new Map(), selected: new Set() };
  const title = heading("Review");
  const variable = h("select", { id: "filter-variable", name: "variable" }, h("option", { value: "" }, "All variables"));
  const status = h(
    "select",
    { id: "filter-status", name: "status" },
    h("option", { value: "" }, "Any status"),
    Object.entries(statusNames).map(([value, name]) => h("option", { value }, name)),
  );
  const documentFilter = h("select", { id: "filter-document", name: "document" }, h("option", { value: "" }, "All documents"));
  const disagree = h("input", { type: "checkbox", id: "filter-disagree", name: "runs_disagree" });
  const filters = h(
    "form",
    { class: "card filters", "aria-labelledby": "filters-title" },
    h("h2", { id: "filters-title", class: "visually-hidden" }, "Filters"),
    field("Variable", variable),
    field("Status", status),
    field("Document", documentFilter),
    h("div", { class: "field check" }, disagree, h("label", { for: "filter-disagree" }, "Only values whose runs disagree")),
  );
  const position = h("p", { id: "position", role: "status", "aria-live": "polite" }, "Loading the values…");
  const facts = h("div", { id: "value" });
  const text = h("div", { id: "document-text", class: "document-text", tabindex: "0", role: "region", "aria-label": "The document's text" });
  const history = h("div", {});
  const verdictInputs = Object.entries(verdictNames).map(([value, name]) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "verdict", value, id: `verdict-${value}`, checked: value === "correct" }), ` ${name}`),
  );
  const corrected = h("input", { type: "text", id: "corrected-value", name: "corrected_value", autocomplete: "off" });
  const note = h("input", { type: "text", id: "note", name: "note", autocomplete: "off" });
  const feedbackForm = h(
    "form",
    { class: "card", id: "feedback-form", "aria-labelledby": "feedback-title", novalidate: true },
    h("h2", { id: "feedback-title" }, "Your verdict"),
    h("fieldset", { class: "verdicts" }, h("legend", {}, "Verdict"), verdictInputs),
    field("Corrected value", corrected),
    field("Note", note),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "save-feedback" }, "Save verdict"), h("button", { type: "button", class: "secondary", id: "accept" }, "Accept (a)")),
    legend(),
    h("h3", {}, "Feedback so far"),
    history,
  );
  const queue = h("div", {});
  const reason = h("input", { type: "text", id: "bulk-reason", name: "reason", required: true, autocomplete: "off" });
  const selectAll = h("input", { type: "checkbox", id: "select-all" });
  const bulkForm = h(
    "form",
    { class: "card", id: "bulk-form", "aria-labelledby": "bulk-title", novalidate: true },
    h("h2", { id: "bulk-title" }, "Accept several"),
    h("p", { class: "hint" }, "Tick values in the queue (or all shown), say why they are right; the reason is kept as each one's note."),
    h("div", { class: "field check" }, selectAll, h("label", { for: "select-all" }, "Select all values shown")),
    field("Reason", reason),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "bulk-accept" }, "Accept selected")),
  );
  const pager = h("div", { class: "actions" });

  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#/projects/${id}`, id: "back-to-project" }, "Back to the project")),
    title,
    filters,
    position,
    h("div", { class: "review" }, h("div", { class: "review-value" }, facts, feedbackForm), h("div", { class: "review-text" }, h("h2", {}, "Document"), text)),
    h("section", { "aria-labelledby": "queue-title" }, h("h2", { id: "queue-title" }, "Queue"), queue, pager),
    bulkForm,
  );

  const current = () => state.items[state.index];

  async function loadDocument(documentID) {
    if (!state.documents.has(documentID)) state.documents.set(documentID, await api.get(`/documents/${documentID}`));
    return state.documents.get(documentID);
  }

  // Everything reviewed so far, by value: the queue's "Verdict" column.
  async function loadReviewed() {
    const { items } = await api.get(`/projects/${id}/feedback`);
    state.reviewed = new Map(items.map((item) => [item.extraction_id, item]));
  }

  async function loadQueue() {
    const query = new URLSearchParams({ order: "review", limit: pageSize, offset: state.offset });
    if (variable.value) query.set("variable", variable.value);
    if (status.value) query.set("status", status.value);
    if (documentFilter.value) query.set("document", documentFilter.value);
    if (disagree.checked) query.set("runs_disagree", "true");
    // Filters changed quickly: only the answer to the latest question is shown.
    const asked = ++state.asked;
    const [page] = await Promise.all([api.get(`/projects/${id}/extractions?${query}`), loadReviewed()]);
    if (asked !== state.asked) return;
    state.items = page.items;
    state.total = page.total;
    state.index = Math.min(state.index, Math.max(0, page.items.length - 1));
    state.selected.clear();
    selectAll.checked = false;
    showQueue();
    await showValue();
  }

  function showQueue() {
    show(queue, state.items.length === 0 ? h("p", { class: "empty" }, "No values match.") : queueTable());
    const buttons = [];
    if (state.offset > 0) buttons.push(h("button", { type: "button", class: "secondary", id: "previous-page", onclick: () => turn(-pageSize) }, "Previous page"));
    if (state.offset + pageSize < state.total) buttons.push(h("button", { type: "button", class: "secondary", id: "next-page", onclick: () => turn(pageSize) }, "Next page"));
    show(pager, buttons);
  }

  function queueTable() {
    const header = ["", "Variable", "Document", "Value", "Status", "Confidence", "Verdict"];
    return h(
      "table",
      { id: "queue" },
      h("caption", {}, `Values ${state.offset + 1}–${state.offset + state.items.length} of ${state.total}, most in need of review first`),
      h("thead", {}, h("tr", {}, header.map((name, column) => h("th", { scope: "col" }, column === 0 ? h("span", { class: "visually-hidden" }, "Selected") : name)))),
      h(
        "tbody",
        {},
        state.items.map((value, index) => {
          const verdict = state.reviewed.get(value.id)?.verdict;
          return h(
            "tr",
            { id: `value-${value.id}`, "data-index": index, "aria-current": index === state.index ? "true" : false },
            h("td", {}, h("input", { type: "checkbox", "data-select": value.id, checked: state.selected.has(value.id), "aria-label": `Select value ${value.id}` })),
            h("th", { scope: "row" }, h("button", { type: "button", class: "link", "data-open": index }, value.variable)),
            h("td", {}, documentName(value.document_id)),
            h("td", {}, shown(value.value)),
            h("td", {}, statusNames[value.status] ?? value.status),
            h("td", { class: "number" }, value.confidence === null || value.confidence === undefined ? "" : value.confidence.toFixed(2)),
            h("td", { "data-verdict": verdict ?? "" }, verdict ? verdictNames[verdict] : ""),
          );
        }),
      ),
    );
  }

  function documentName(documentID) {
    return documentFilter.querySelector(`option[value="${documentID}"]`)?.textContent ?? `#${documentID}`;
  }

  async function showValue() {
    const value = current();
    for (const row of queue.querySelectorAll("tr[data-index]")) row.setAttribute("aria-current", String(Number(row.dataset.index) === state.index));
    if (!value) {
      position.textContent = state.total === 0 ? "No values to review here." : "Nothing on this page.";
      show(facts);
      show(text);
      show(history);
      feedbackForm.hidden = true;
      return;
    }
    feedbackForm.hidden = false;
    const document = await loadDocument(value.document_id);
    position.textContent = `Value ${state.offset + state.index + 1} of ${state.total}: ${value.variable} in ${document.external_id}`;
    show(facts, details(value, document));
    show(text, documentText(document, value.evidence));
    const mark = text.querySelector("mark");
    // The evidence in the middle of the text's own scroll area; the page itself stays put.
    text.scrollTop = mark ? Math.max(0, mark.offsetTop - text.clientHeight / 3) : 0;
    clearForm();
    await showFeedback(value);
  }

  async function showFeedback(value) {
    const { items } = await api.get(`/projects/${id}/feedback?extraction=${value.id}`);
    if (current()?.id === value.id) show(history, feedbackList(items));
  }

  function clearForm() {
    for (const input of [corrected, note]) {
      input.value = "";
      fieldError(input, null);
    }
    feedbackForm.querySelector("#verdict-correct").checked = true;
  }

  async function move(by) {
    const next = state.index + by;
    if (next >= 0 && next < state.items.length) {
      state.index = next;
      await showValue();
    } else if (next >= state.items.length && state.offset + pageSize < state.total) {
      await turn(pageSize);
    } else if (next < 0 && state.offset > 0) {
      state.index = pageSize - 1;
      await turn(-pageSize, false);
    }
  }

  async function turn(by, fromTop = true) {
    state.offset = Math.max(0, state.offset + by);
    if (fromTop) state.index = 0;
    await loadQueue();
  }

  // Records a verdict on the value in hand, then moves on to the next.
  async function give(body) {
    const value = current();
    if (!value) return;
    feedbackForm.setAttribute("aria-busy", "true");
    try {
      await api.post(`/extractions/${value.id}/feedback`, body);
      notify(`${verdictNames[body.verdict]}: ${value.variable} in ${state.documents.get(value.document_id)?.external_id ?? "its document"} (value ${value.id}).`);
      // Back from the form to the keys, wherever the verdict was given.
      if (feedbackForm.contains(document.activeElement)) title.focus();
      await loadReviewed();
      showQueue();
      if (state.index + 1 < state.items.length || state.offset + pageSize < state.total) await move(1);
      else await showValue();
    } catch (error) {
      if (error.status === 401) return;
      const input = error.field === "note" ? note : corrected;
      fieldError(input, error.fieldMessage);
      input.focus();
    } finally {
      feedbackForm.removeAttribute("aria-busy");
    }
  }

  feedbackForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const verdict = feedbackForm.querySelector("input[name=verdict]:checked")?.value ?? "correct";
    const body = { verdict };
    // Typed as text; the service reads it in the variable's type ("about 250" is 250).
    if (corrected.value.trim()) body.corrected_value = corrected.value.trim();
    if (note.value.trim()) body.note = note.value.trim();
    give(body);
  });
  feedbackForm.querySelector("#accept").addEventListener("click", () => give({ verdict: "correct" }));

  // Opens the form for a verdict, with the cursor where the person types next.
  function begin(verdict, input) {
    feedbackForm.querySelector(`#verdict-${verdict}`).checked = true;
    input.focus();
  }

  const actions = {
    j: () => move(1),
    k: () => move(-1),
    a: () => give({ verdict: "correct" }),
    c: () => begin("incorrect", corrected),
    p: () => begin("partially_correct", corrected),
    i: () => begin("incorrect", note),
    n: () => note.focus(),
  };

  function onKey(event) {
    if (!view.isConnected) return document.removeEventListener("keydown", onKey);
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Fields that take letters; a ticked box or a chosen verdict does not, so keys still act there.
    const typing = event.target.closest?.("input:not([type=checkbox]):not([type=radio]), select, textarea, [contenteditable]");
    if (typing) {
      if (event.key === "Escape") {
        typing.blur();
        title.focus();
      }
      return;
    }
    const action = actions[event.key];
    if (!action || !current()) return;
    event.preventDefault();
    Promise.resolve(action()).catch((error) => error.status !== 401 && notify(error.message, "error"));
  }
  document.addEventListener("keydown", onKey);

  queue.addEventListener("click", async (event) => {
    const open = event.target.closest("button[data-open]");
    if (open) {
      state.index = Number(open.dataset.open);
      await showValue();
      return;
    }
    const box = event.target.closest("input[data-select]");
    if (box) {
      const valueID = Number(box.dataset.select);
      if (box.checked) state.selected.add(valueID);
      else state.selected.delete(valueID);
    }
  });
  selectAll.addEventListener("change", () => {
    state.selected = new Set(selectAll.checked ? state.items.map((value) => value.id) : []);
    for (const box of queue.querySelectorAll("input[data-select]")) box.checked = selectAll.checked;
  });

  bulkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.selected.size === 0) return notify("Tick one or more values in the queue first.", "error");
    if (!reason.value.trim()) {
      fieldError(reason, "Say why these values are right: it is kept as each one's note.");
      return reason.focus();
    }
    fieldError(reason, null);
    bulkForm.setAttribute("aria-busy", "true");
    try {
      const { items } = await api.post(`/projects/${id}/feedback/accept`, { extraction_ids: [...state.selected], note: reason.value.trim() });
      notify(`Accepted ${items.length} value(s): ${reason.value.trim()}`);
      reason.value = "";
      await loadQueue();
    } catch (error) {
      if (error.status !== 401) notify(error.message, "error");
    } finally {
      bulkForm.removeAttribute("aria-busy");
    }
  });

  filters.addEventListener("change", () => {
    state.offset = 0;
    state.index = 0;
    loadQueue().catch((error) => error.status !== 401 && notify(error.message, "error"));
  });
  filters.addEventListener("submit", (event) => event.preventDefault());

  try {
    const [project, variables, documents] = await Promise.all([
      api.get(`/projects/${id}`),
      api.get(`/projects/${id}/codebook/variables`).catch(() => ({ items: [] })),
      api.get(`/projects/${id}/documents`),
    ]);
    title.textContent = `Review: ${project.name}`;
    document.title = `Review · ${project.name} · Assay workbench`;
    variable.append(...variables.items.map((item) => h("option", { value: item.name }, item.name)));
    documentFilter.append(...documents.items.filter((item) => item.status !== "failed").map((item) => h("option", { value: item.id }, item.external_id)));
    focusHeading(view);
    await loadQueue();
  } catch (error) {
    if (error.status === 401) return;
    show(view, heading("Project not found"), h("p", { role: "alert" }, error.message), h("p", {}, h("a", { href: "#/projects" }, "All projects")));
    focusHeading(view);
  }
}

// The keys, beside the verdict they give.
function legend() {
  return h(
    "section",
    { class: "keys", "aria-labelledby": "keys-title" },
    h("h3", { id: "keys-title" }, "Keys"),
    h("dl", { id: "keys" }, keys.flatMap(([key, what]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, what)])),
  );
}
