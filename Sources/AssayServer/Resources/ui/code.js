// Blind coding: one document assigned to the signed-in coder, its text beside a form with the
// codebook's variables (a select for categories, number, date and yes/no inputs, text), and never
// the model's values. "Save and next" stores the codes (PUT …/documents/{id}/codes) and opens the
// next document not yet coded. Keyboard: Tab through the fields, Enter saves.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading } from "./dom.js";

export async function render(view, { id, documentID, notify, go }) {
  const title = heading("Code documents");
  const progress = h("p", { class: "lead", id: "coding-progress", "aria-live": "polite" });
  const body = h("div", { class: "coding" }, "Loading your assignments…");
  view.append(h("p", { class: "crumbs" }, h("a", { href: `#/projects/${id}` }, "Back to the project")), title, progress, body);
  focusHeading(view);

  try {
    const [{ items }, { items: variables }, project] = await Promise.all([
      api.get(`/projects/${id}/assignments`),
      api.get(`/projects/${id}/codebook/variables`),
      api.get(`/projects/${id}`),
    ]);
    title.textContent = `Code: ${project.name}`;
    document.title = `Code ${project.name} · Assay workbench`;
    const mine = items[0];
    if (!mine || mine.assigned === 0) return show(body, h("p", { class: "empty" }, "Nothing is assigned to you in this project."));
    progress.textContent = `${mine.coded} of ${mine.assigned} document(s) coded.`;
    const current =
      mine.items.find((item) => item.document_id === documentID) ?? mine.items.find((item) => !item.coded) ?? mine.items[0];
    const [doc, codes] = await Promise.all([
      api.get(`/documents/${current.document_id}`),
      api.get(`/projects/${id}/documents/${current.document_id}/codes`),
    ]);
    const position = mine.items.indexOf(current) + 1;
    const inputs = variables.map((variable) => input(variable, codes.values[variable.name]));
    const problem = h("p", { class: "form-error", role: "alert", hidden: true, id: "coding-error" });
    const save = h("button", { type: "submit", id: "save-codes" }, "Save and next");
    const form = h(
      "form",
      { class: "card coding-form", "aria-labelledby": "coding-form-title", novalidate: true, id: "coding-form" },
      h("h2", { id: "coding-form-title" }, "Your codes"),
      h("p", { class: "hint" }, "Code from the text alone. Leave a field empty when the document does not say."),
      variables.map((variable, index) => labelled(variable, inputs[index])),
      problem,
      h("div", { class: "actions" }, save),
    );
    show(
      body,
      h(
        "article",
        { class: "card coding-document", "aria-labelledby": "coding-document-title" },
        h("h2", { id: "coding-document-title" }, `${doc.external_id} (${position} of ${mine.assigned})`),
        h("pre", { class: "document-text", id: "document-text", tabindex: "0" }, doc.text ?? ""),
      ),
      form,
      h(
        "nav",
        { "aria-label": "Your documents" },
        h(
          "ul",
          { class: "coding-list" },
          mine.items.map((item) =>
            h(
              "li",
              {},
              h(
                "a",
                { href: `#/projects/${id}/code/${item.document_id}`, "aria-current": item === current ? "page" : null },
                item.external_id,
                item.coded ? " ✓" : "",
              ),
            ),
          ),
        ),
      ),
    );
    inputs[0]?.focus();

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      problem.hidden = true;
      for (const element of inputs) fieldError(element, null);
      const values = {};
      variables.forEach((variable, index) => {
        values[variable.name] = read(variable, inputs[index]);
      });
      save.disabled = true;
      try {
        await api.put(`/projects/${id}/documents/${current.document_id}/codes`, { values });
        const next = mine.items.slice(position).find((item) => !item.coded) ?? mine.items.find((item) => !item.coded && item !== current);
        if (next) {
          notify(`Saved your codes for ${current.external_id}.`);
          go(`#/projects/${id}/code/${next.document_id}`);
        } else {
          notify(`Saved. You have coded all ${mine.assigned} document(s) assigned to you.`);
          go(`#/projects/${id}`);
        }
      } catch (error) {
        save.disabled = false;
        if (error.status === 401) return;
        const name = error.field?.replace(/^values\./, "");
        const index = variables.findIndex((variable) => variable.name === name);
        if (index >= 0) {
          fieldError(inputs[index], error.fieldMessage);
          inputs[index].focus();
        } else {
          problem.textContent = error.message;
          problem.hidden = false;
        }
      }
    });
  } catch (error) {
    if (error.status === 401) return;
    show(body, h("p", { role: "alert" }, error.message));
  }
}

function labelled(variable, element) {
  const wrapper = field(variable.display_name ?? variable.name, element);
  if (variable.instructions) {
    const hint = h("p", { class: "hint", id: `${element.id}-hint` }, variable.instructions);
    element.setAttribute("aria-describedby", hint.id);
    wrapper.append(hint);
  }
  return wrapper;
}

// A typed input for the variable, holding the coder's saved code.
function input(variable, saved) {
  const id = `code-${variable.name}`;
  switch (variable.type) {
    case "category": {
      const multiple = variable.if_multiple_values === "all";
      const chosen = new Set((saved ?? "").split("|"));
      return h(
        "select",
        { id, name: variable.name, multiple },
        multiple ? null : h("option", { value: "" }, "(not stated)"),
        (variable.categories ?? []).map((category) =>
          h("option", { value: category.code, selected: chosen.has(category.code) }, category.label ? `${category.label} (${category.code})` : category.code),
        ),
      );
    }
    case "boolean":
      return h(
        "select",
        { id, name: variable.name },
        h("option", { value: "" }, "(not stated)"),
        h("option", { value: "true", selected: saved === "true" }, "Yes"),
        h("option", { value: "false", selected: saved === "false" }, "No"),
      );
    case "number":
      return h("input", { id, name: variable.name, type: "number", step: "any", inputmode: "decimal", value: saved ?? "" });
    case "date":
      return h("input", { id, name: variable.name, type: "date", value: saved ?? "" });
    default:
      return h("input", { id, name: variable.name, type: "text", autocomplete: "off", maxlength: "10000", value: saved ?? "" });
  }
}

// The input's value as the API takes it: null when empty.
function read(variable, element) {
  if (element.multiple) {
    const chosen = [...element.selectedOptions].map((option) => option.value);
    return chosen.length > 0 ? chosen : null;
  }
  const text = element.value.trim();
  if (text === "") return null;
  if (variable.type === "boolean") return text === "true";
  if (variable.type === "number") return Number(text);
  return text;
}
