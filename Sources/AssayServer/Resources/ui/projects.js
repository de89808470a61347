// The person's projects (their own and those shared with them), and a new one.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading, date } from "./dom.js";

const statusNames = {
  created: "Created",
  schema_defined: "Codebook ready",
  sample_complete: "Sample coded",
  processing: "Coding",
  complete: "Complete",
};

// The person's role in each: their own projects, and those shared with them.
const roleNames = { owner: "Owner", coder: "Coder", viewer: "Viewer" };

export async function render(view, { notify, open }) {
  const name = h("input", { type: "text", name: "name", autocomplete: "off", required: true, maxlength: "200" });
  const form = h(
    "form",
    { class: "card inline-form", "aria-labelledby": "new-project-title", novalidate: true },
    h("h2", { id: "new-project-title" }, "New project"),
    field("Project name", name),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "create-project" }, "Create project")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(name, null);
    if (!name.value.trim()) {
      fieldError(name, "Give the project a name.");
      name.focus();
      return;
    }
    try {
      const created = await api.post("/projects", { name: name.value.trim() });
      notify(`Created project ${created.name}.`);
      open(created.id);
    } catch (error) {
      if (error.status === 401) return;
      fieldError(name, error.field ? error.fieldMessage : error.message);
      name.focus();
    }
  });

  const list = h("section", { "aria-labelledby": "projects-list-title" }, h("h2", { id: "projects-list-title" }, "Your projects"));
  const body = h("div", { class: "loading" }, "Loading projects…");
  list.append(body);
  view.append(heading("Projects"), form, list);
  focusHeading(view);

  try {
    const { items } = await api.get("/projects");
    if (items.length === 0) {
      show(body, h("p", { class: "empty" }, "No projects yet. Create one above to add documents."));
    } else {
      show(body, table(items));
    }
    body.className = "";
  } catch (error) {
    if (error.status !== 401) show(body, h("p", { class: "form-error", role: "alert" }, error.message));
  }
}

function table(projects) {
  return h(
    "table",
    { id: "projects" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Stage"), h("th", { scope: "col" }, "Your role"), h("th", { scope: "col" }, "Created")),
    ),
    h(
      "tbody",
      {},
      projects.map((project) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, h("a", { href: `#/projects/${project.id}` }, project.name)),
          h("td", {}, statusNames[project.status] ?? project.status),
          h("td", {}, roleNames[project.role] ?? "Owner"),
          h("td", {}, date(project.created_at)),
        ),
      ),
    ),
  );
}
