// The codebook in a form (#/projects/ID/codebook): variables with their name, type, definition,
// instructions, include and exclude rules, positive and negative examples and categories
// (Halterman & Keith's codebook structure). As the person types, the form asks the service to
// check it (POST …/codebook/check) and shows each problem beside its field; Save stores a new
// version (PUT …/codebook). The co-pilot (POST …/codebook/suggest) lists the model's suggestions,
// each to accept into the form, edit there, or drop: nothing is stored until Save.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading } from "./dom.js";
import { codebookButton } from "./exports.js";

const types = { text: "Text", category: "Category", number: "Number", boolean: "Yes / no", date: "Date" };
// How long typing must pause before the form is checked.
const checkAfter = 350;

export async function render(view, { id, notify }) {
  // The codebook as the service encodes it; fields the form does not show are kept as they are.
  let codebook = { variables: [] };
  let suggestions = null;
  const title = heading("Codebook");
  const state = h("p", { class: "lead", id: "codebook-version", "aria-live": "polite" }, "Loading the codebook…");
  const general = h("ul", { class: "form-error", id: "codebook-general", role: "alert" });
  const checkState = h("p", { class: "muted", id: "check-state", "aria-live": "polite" });
  const list = h("div", { id: "variables" });
  const saved = h("p", { id: "codebook-download", role: "status" });
  const save = h("button", { type: "submit", id: "save-codebook" }, "Save as a new version");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "form-title", novalidate: true },
    h("h2", { id: "form-title" }, "Variables"),
    general,
    list,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "add-variable", onclick: () => addVariable({ name: "", type: "text", instructions: "" }) }, "Add a variable"),
      save,
      codebookButton(id, saved, notify),
    ),
    checkState,
    saved,
  );

  const question = h("textarea", { id: "copilot-question", rows: 2, maxlength: 1000, required: true });
  const sample = h("input", { type: "number", id: "copilot-sample", min: 1, max: 5, step: 1, value: 3, inputmode: "numeric" });
  const copilotState = h("p", { id: "copilot-state", role: "status" });
  const copilotList = h("div", { id: "suggestions" });
  const copilot = h(
    "form",
    { class: "card", "aria-labelledby": "copilot-title", novalidate: true },
    h("h2", { id: "copilot-title" }, "Co-pilot"),
    h("p", { class: "hint", id: "copilot-hint" }, "Say in a sentence what your research asks. The model reads a few of the project's documents and suggests variables and clearer instructions; accept, edit or drop each. Nothing is saved until you save the codebook."),
    field("Research question", question),
    field("Documents to show the model (1–5)", sample),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "ask-copilot" }, "Ask for suggestions")),
    copilotState,
    copilotList,
  );
  question.setAttribute("aria-describedby", "copilot-hint");

  show(
    view,
    h("p", { class: "crumbs" }, h("a", { href: `#/projects/${id}`, id: "back-to-project" }, "← Project (import a codebook file there)")),
    title,
    state,
    form,
    copilot,
  );

  // MARK: The form

  function renderVariables(focusID) {
    show(list, codebook.variables.length === 0 ? h("p", { class: "empty" }, "No variables yet: add one, or ask the co-pilot.") : codebook.variables.map(variableCard));
    if (focusID) document.getElementById(focusID)?.focus();
  }

  function variableCard(variable, index) {
    const at = `v${index}`;
    const input = (key, attributes = {}) =>
      h("input", { type: "text", id: `${at}-${key}`, value: variable[key] ?? "", "data-path": `variables[${index}].${key}`, ...attributes });
    const area = (key, value, rows = 2) => h("textarea", { id: `${at}-${key}`, rows, "data-path": `variables[${index}].${key}` }, value ?? "");
    const name = input("name", { autocomplete: "off", spellcheck: "false" });
    const type = h("select", { id: `${at}-type`, "data-path": `variables[${index}].type` }, Object.entries(types).map(([value, label]) => h("option", { value, selected: variable.type === value }, label)));
    const definition = area("definition", variable.definition);
    const instructions = area("instructions", variable.instructions, 3);
    const include = area("include", (variable.include ?? []).join("\n"));
    const exclude = area("exclude", (variable.exclude ?? []).join("\n"));
    const required = h("input", { type: "checkbox", id: `${at}-required`, checked: variable.required === true });
    const edited = (key, value) => {
      variable[key] = value;
      changed();
    };
    name.addEventListener("input", () => edited("name", name.value.trim()));
    type.addEventListener("change", () => {
      variable.type = type.value;
      renderVariables(type.id);
      changed();
    });
    definition.addEventListener("input", () => edited("definition", definition.value.trim() === "" ? undefined : definition.value));
    instructions.addEventListener("input", () => edited("instructions", instructions.value));
    include.addEventListener("input", () => edited("include", lines(include.value)));
    exclude.addEventListener("input", () => edited("exclude", lines(exclude.value)));
    required.addEventListener("change", () => edited("required", required.checked));

    const move = (step) => {
      const to = index + step;
      if (to < 0 || to >= codebook.variables.length) return;
      [codebook.variables[index], codebook.variables[to]] = [codebook.variables[to], codebook.variables[index]];
      renderVariables(`v${to}-${step < 0 ? "up" : "down"}`);
      changed();
    };
    const label = variable.name || `variable ${index + 1}`;
    return h(
      "fieldset",
      { class: "variable", id: at },
      h("legend", {}, `Variable ${index + 1}`),
      field("Name", name),
      field("Type", type),
      field("Definition: what the concept is", definition),
      field("Instructions for the coder", instructions),
      field("Counts (include), one rule a line", include),
      field("Does not count (exclude), one rule a line", exclude),
      variable.type === "category" ? categoryList(variable, index) : null,
      exampleList(variable, index, "positive"),
      exampleList(variable, index, "negative"),
      h("div", { class: "field check" }, required, h("label", { for: required.id }, "Required: a document must have a value")),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "secondary small", id: `${at}-up`, "aria-label": `Move ${label} up`, disabled: index === 0, onclick: () => move(-1) }, "Move up"),
        h("button", { type: "button", class: "secondary small", id: `${at}-down`, "aria-label": `Move ${label} down`, disabled: index === codebook.variables.length - 1, onclick: () => move(1) }, "Move down"),
        h("button", { type: "button", class: "secondary small", id: `${at}-remove`, "aria-label": `Remove ${label}`, onclick: () => {
          codebook.variables.splice(index, 1);
          renderVariables("add-variable");
          changed();
        } }, "Remove"),
      ),
    );
  }

  function categoryList(variable, index) {
    variable.categories ??= [];
    const at = `v${index}-categories`;
    // The categories' own problems (none at all, say) show beside the button that adds one.
    const add = h("button", { type: "button", class: "secondary small", id: at, "data-path": `variables[${index}].categories`, onclick: () => {
      variable.categories.push({ code: "" });
      renderVariables(`${at}-${variable.categories.length - 1}-code`);
      changed();
    } }, "Add a category");
    const rows = variable.categories.map((category, j) => {
      const code = h("input", { type: "text", id: `${at}-${j}-code`, value: category.code ?? "", "data-path": `variables[${index}].categories[${j}].code` });
      const description = h("input", { type: "text", id: `${at}-${j}-description`, value: category.description ?? "", "data-path": `variables[${index}].categories[${j}].description` });
      code.addEventListener("input", () => {
        category.code = code.value.trim();
        changed();
      });
      description.addEventListener("input", () => {
        category.description = description.value.trim() === "" ? undefined : description.value;
        changed();
      });
      const move = (step) => {
        const to = j + step;
        if (to < 0 || to >= variable.categories.length) return;
        [variable.categories[j], variable.categories[to]] = [variable.categories[to], variable.categories[j]];
        renderVariables(`${at}-${to}-code`);
        changed();
      };
      return h(
        "li",
        { class: "row" },
        field("Code", code),
        field("Description", description),
        h("button", { type: "button", class: "secondary small", "aria-label": `Move category ${j + 1} up`, disabled: j === 0, onclick: () => move(-1) }, "↑"),
        h("button", { type: "button", class: "secondary small", "aria-label": `Move category ${j + 1} down`, disabled: j === variable.categories.length - 1, onclick: () => move(1) }, "↓"),
        h("button", { type: "button", class: "secondary small", "aria-label": `Remove category ${j + 1}`, onclick: () => {
          variable.categories.splice(j, 1);
          renderVariables(at);
          changed();
        } }, "Remove"),
      );
    });
    return h("div", { class: "group" }, h("h3", {}, "Categories"), h("ol", { class: "rows" }, rows), h("div", { class: "field" }, add, h("p", { class: "field-error", id: `${at}-error`, hidden: true })));
  }

  // Positive examples show a text and the value it should yield; negative ones a look-alike that is no case.
  function exampleList(variable, index, kind) {
    variable.examples ??= [];
    const at = `v${index}-${kind}`;
    const negative = kind === "negative";
    const rows = [];
    variable.examples.forEach((example, j) => {
      if ((example.kind === "negative") !== negative) return;
      const text = h("input", { type: "text", id: `${at}-${j}-text`, value: example.text ?? "", "data-path": `variables[${index}].examples[${j}].text` });
      text.addEventListener("input", () => {
        example.text = text.value;
        changed();
      });
      const parts = [field(negative ? "Text that does not count" : "Text", text)];
      if (!negative) {
        const value = h("input", { type: "text", id: `${at}-${j}-value`, value: example.value === undefined ? "" : display(example.value), "data-path": `variables[${index}].examples[${j}].value` });
        value.addEventListener("input", () => {
          example.value = typed(value.value, variable.type);
          changed();
        });
        parts.push(field("Value", value));
      }
      parts.push(h("button", { type: "button", class: "secondary small", "aria-label": `Remove ${kind} example ${rows.length + 1}`, onclick: () => {
        variable.examples.splice(j, 1);
        renderVariables(`${at}-add`);
        changed();
      } }, "Remove"));
      rows.push(h("li", { class: "row" }, parts));
    });
    const add = h("button", { type: "button", class: "secondary small", id: `${at}-add`, onclick: () => {
      variable.examples.push(negative ? { text: "", kind: "negative" } : { text: "", value: "" });
      renderVariables(`${at}-${variable.examples.length - 1}-text`);
      changed();
    } }, negative ? "Add a negative example" : "Add an example");
    return h("div", { class: "group" }, h("h3", {}, negative ? "Negative examples (look alike, do not count)" : "Examples"), h("ol", { class: "rows" }, rows), add);
  }

  function addVariable(variable, focus = "name") {
    codebook.variables.push(variable);
    renderVariables(`v${codebook.variables.length - 1}-${focus}`);
    changed();
  }

  // MARK: Checking as the person types

  let timer = null;
  let asked = 0;
  function changed() {
    clearTimeout(timer);
    checkState.textContent = "";
    timer = setTimeout(check, checkAfter);
  }

  async function check() {
    const mine = ++asked;
    try {
      const answer = await api.post(`/projects/${id}/codebook/check`, body());
      if (mine !== asked) return; // a newer check is on its way
      showProblems(answer.problems);
      checkState.textContent = answer.valid ? "No problems: ready to save." : `${answer.problems.length} problem(s) to fix before saving.`;
    } catch (error) {
      if (mine === asked && error.status !== 401) checkState.textContent = error.message;
    }
  }

  // Each problem beside the field its path names; the rest (the codebook's own) above the list.
  function showProblems(problems) {
    for (const element of list.querySelectorAll("[data-path]")) fieldError(element, null);
    const rest = [];
    const seen = new Set();
    for (const problem of problems) {
      const element = list.querySelector(`[data-path="${CSS.escape(problem.field)}"]`) ?? list.querySelector(`[data-path="${CSS.escape(problem.field.replace(/\[\d+\]$/, ""))}"]`);
      if (element && !seen.has(element)) {
        seen.add(element);
        fieldError(element, capitalized(problem.reason));
      } else {
        rest.push(`${problem.field}: ${problem.reason}`);
      }
    }
    show(general, rest.map((text) => h("li", {}, text)));
  }

  function body() {
    const variables = codebook.variables.map((variable) => {
      const out = { ...variable };
      if (out.type !== "category") delete out.categories;
      for (const key of ["include", "exclude"]) if (!out[key] || out[key].length === 0) delete out[key];
      if (out.definition === undefined || out.definition.trim() === "") delete out.definition;
      return out;
    });
    return { ...codebook, variables };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    form.setAttribute("aria-busy", "true");
    try {
      const version = await api.putText(`/projects/${id}/codebook`, JSON.stringify(body()), "application/json");
      showVersion(version);
      showProblems([]);
      checkState.textContent = "";
      notify(`Codebook version ${version.version} saved: ${version.variables} variable(s).`);
    } catch (error) {
      if (error.status === 401) return;
      if (error.errors.length > 0) {
        showProblems(error.errors.map((problem) => ({ field: problem.field ?? "codebook", reason: problem.detail })));
        checkState.textContent = "Not saved: fix the problems shown beside the fields.";
      } else {
        notify(error.message, "error");
      }
    } finally {
      form.removeAttribute("aria-busy");
    }
  });

  function showVersion(version) {
    state.textContent = version ? `Version ${version.version} in force, ${version.variables} variable(s). Saving makes a new version.` : "No codebook yet: the first save makes version 1.";
  }

  // MARK: The co-pilot

  copilot.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (question.value.trim() === "") {
      fieldError(question, "Say in a sentence what your research asks.");
      question.focus();
      return;
    }
    fieldError(question, null);
    copilot.setAttribute("aria-busy", "true");
    copilotState.textContent = "Asking the model… (a few seconds to a minute)";
    try {
      suggestions = await api.post(`/projects/${id}/codebook/suggest`, { question: question.value.trim(), sample: Number(sample.value) || 3 });
      copilotState.textContent = `${suggestions.model} suggested ${suggestions.variables.length} variable(s) and ${suggestions.instructions.length} clearer instruction(s), from ${suggestions.documents.join(", ") || "the chosen documents"} (${suggestions.prompt_version}).`;
      renderSuggestions();
    } catch (error) {
      copilotState.textContent = "";
      if (error.status !== 401) (error.field === "question" ? fieldError(question, error.fieldMessage) : notify(error.message, "error"));
    } finally {
      copilot.removeAttribute("aria-busy");
    }
  });

  function renderSuggestions() {
    const items = [
      ...suggestions.variables.map((variable, i) => suggestedVariable(variable, i)),
      ...suggestions.instructions.map((clarification, i) => suggestedInstructions(clarification, i)),
    ];
    show(copilotList, items.length === 0 ? h("p", { class: "empty" }, "Nothing left to decide.") : h("ol", { class: "suggestions" }, items));
  }

  function decisions(what, accept, edit, drop) {
    return h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "small", "data-decision": "accept", "aria-label": `Accept ${what}`, onclick: accept }, "Accept"),
      h("button", { type: "button", class: "secondary small", "data-decision": "edit", "aria-label": `Edit ${what}`, onclick: edit }, "Edit"),
      h("button", { type: "button", class: "secondary small", "data-decision": "drop", "aria-label": `Drop ${what}`, onclick: drop }, "Drop"),
    );
  }

  function suggestedVariable(variable, i) {
    const taken = () => {
      suggestions.variables.splice(i, 1);
      renderSuggestions();
    };
    const into = (focus) => {
      taken();
      addVariable(structuredClone(variable), focus);
      notify(`${variable.name} is in the form: save the codebook to keep it.`);
    };
    return h(
      "li",
      { class: "suggestion", "data-kind": "variable" },
      h("h3", {}, `New variable: ${variable.name} (${types[variable.type] ?? variable.type})`),
      variable.definition ? h("p", {}, h("strong", {}, "Definition: "), variable.definition) : null,
      variable.instructions ? h("p", {}, h("strong", {}, "Instructions: "), variable.instructions) : null,
      (variable.categories ?? []).length > 0 ? h("ul", {}, variable.categories.map((c) => h("li", {}, c.description ? `${c.code}: ${c.description}` : c.code))) : null,
      decisions(variable.name, () => into("name"), () => into("definition"), taken),
    );
  }

  function suggestedInstructions(clarification, i) {
    const taken = () => {
      suggestions.instructions.splice(i, 1);
      renderSuggestions();
    };
    const into = (focus) => {
      const index = codebook.variables.findIndex((variable) => variable.name === clarification.variable);
      taken();
      if (index < 0) return notify(`The form has no variable ${clarification.variable} any more.`, "error");
      codebook.variables[index].instructions = clarification.instructions;
      renderVariables(focus ? `v${index}-instructions` : undefined);
      changed();
      notify(`New instructions for ${clarification.variable} are in the form: save the codebook to keep them.`);
    };
    return h(
      "li",
      { class: "suggestion", "data-kind": "instructions" },
      h("h3", {}, `Clearer instructions for ${clarification.variable}`),
      h("p", {}, clarification.instructions),
      clarification.reasoning ? h("p", { class: "muted" }, `Why: ${clarification.reasoning}`) : null,
      decisions(`the instructions for ${clarification.variable}`, () => into(false), () => into(true), taken),
    );
  }

  // MARK: Loading

  try {
    const project = await api.get(`/projects/${id}`);
    title.textContent = `Codebook · ${project.name}`;
    document.title = `Codebook · ${project.name} · Assay workbench`;
    try {
      const version = await api.get(`/projects/${id}/codebook`);
      codebook = version.codebook ?? { variables: [] };
      showVersion(version);
    } catch (error) {
      if (error.status !== 404 && error.status !== 409) throw error;
      showVersion(null);
    }
    renderVariables();
  } catch (error) {
    if (error.status === 401) return;
    state.textContent = error.status === 404 ? "No such project." : error.message;
  }
  focusHeading(view);
}

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function display(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

// An example's value in the variable's type: numbers and yes/no as JSON, the rest as typed.
function typed(text, type) {
  const trimmed = text.trim();
  if (type === "number" && trimmed !== "" && !Number.isNaN(Number(trimmed))) return Number(trimmed);
  if (type === "boolean" && (trimmed === "true" || trimmed === "false")) return trimmed === "true";
  return text;
}
