// One project: add documents (every format Assay reads) and see whether each could be read and
// why not; the project's jobs.

import * as api from "./api.js";
import { h, show, field, heading, focusHeading, date } from "./dom.js";

const documentStates = { ready: "Readable", failed: "Failed", uploaded: "Uploaded", parsed: "Parsed" };
const codedStates = { succeeded: "Coded", flagged: "Coded, flagged", failed: "Coding failed" };
const uploadOutcomes = { inserted: "added", updated: "updated", unchanged: "already there", skipped: "skipped as a duplicate" };

export async function render(view, { id, notify }) {
  const title = heading("Project");
  const stage = h("p", { class: "lead" });
  const files = h("input", { type: "file", name: "files", multiple: true, required: true });
  const uploaded = h("ul", { class: "upload-results", "aria-live": "polite", id: "upload-results" });
  const uploadForm = h(
    "form",
    { class: "card", "aria-labelledby": "upload-title", novalidate: true },
    h("h2", { id: "upload-title" }, "Add documents"),
    h("p", { class: "hint", id: "files-hint" }, "Text, PDF, Word (.docx), OpenDocument (.odt), HTML, JSON and JSON Lines; several at once."),
    field("Files", files),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "upload" }, "Upload")),
    uploaded,
  );
  files.setAttribute("aria-describedby", "files-hint");
  const documents = h("section", { "aria-labelledby": "documents-title" }, h("h2", { id: "documents-title" }, "Documents"));
  const documentList = h("div", {}, "Loading documents…");
  documents.append(documentList);
  const jobs = h("section", { "aria-labelledby": "jobs-title" }, h("h2", { id: "jobs-title" }, "Jobs"));
  const jobList = h("div", {}, "Loading jobs…");
  const refresh = h("button", { type: "button", class: "secondary", id: "refresh" }, "Refresh documents and jobs");
  jobs.append(jobList, h("div", { class: "actions" }, refresh));
  refresh.addEventListener("click", async () => {
    try {
      await Promise.all([loadDocuments(), loadJobs()]);
      notify("Documents and jobs are up to date.");
    } catch (error) {
      if (error.status !== 401) notify(error.message, "error");
    }
  });

  view.append(h("p", { class: "crumbs" }, h("a", { href: "#/projects" }, "All projects")), title, stage, uploadForm, documents, jobs);
  focusHeading(view);

  uploadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (files.files.length === 0) {
      show(uploaded, h("li", { class: "form-error" }, "Choose one or more files first."));
      files.focus();
      return;
    }
    uploadForm.setAttribute("aria-busy", "true");
    show(uploaded, h("li", {}, `Uploading ${files.files.length} file(s)…`));
    try {
      const { items } = await api.upload(`/projects/${id}/documents`, files.files);
      show(uploaded, items.map(uploadLine));
      notify(`Uploaded ${items.length} file(s).`);
      files.value = "";
      await loadDocuments();
    } catch (error) {
      if (error.status !== 401) show(uploaded, h("li", { class: "form-error", role: "alert" }, error.message));
    } finally {
      uploadForm.removeAttribute("aria-busy");
    }
  });

  async function loadDocuments() {
    const { items } = await api.get(`/projects/${id}/documents`);
    show(
      documentList,
      items.length === 0 ? h("p", { class: "empty" }, "No documents yet.") : documentTable(items),
    );
  }

  async function loadJobs() {
    const { items } = await api.get(`/projects/${id}/jobs`);
    show(jobList, items.length === 0 ? h("p", { class: "empty" }, "No jobs yet.") : jobTable(items));
  }

  try {
    const project = await api.get(`/projects/${id}`);
    title.textContent = project.name;
    document.title = `${project.name} · Assay workbench`;
    stage.textContent = `Stage: ${project.status.replaceAll("_", " ")} · created ${date(project.created_at)}`;
    await Promise.all([loadDocuments(), loadJobs()]);
  } catch (error) {
    if (error.status === 401) return;
    show(view, heading("Project not found"), h("p", { role: "alert" }, error.message), h("p", {}, h("a", { href: "#/projects" }, "All projects")));
    focusHeading(view);
  }
}

function uploadLine(item) {
  const failed = item.document?.status === "failed";
  const what = failed ? "could not be read" : uploadOutcomes[item.outcome] ?? item.outcome;
  const reason = failed && item.document.error ? `: ${item.document.error}` : "";
  return h("li", { class: failed ? "failed" : "" }, h("strong", {}, item.external_id), ` ${what}${reason}`);
}

// The document's title, when it says more than its file name.
function subtitle(document) {
  const title = document.title?.trim();
  const name = document.external_id.replace(/\.[A-Za-z0-9]+$/, "");
  if (!title || title === document.external_id || title === name) return null;
  return [h("br"), h("span", { class: "muted" }, title)];
}

function status(document) {
  const failed = document.status === "failed";
  return h("span", { class: `badge ${failed ? "badge-failed" : "badge-ok"}` }, documentStates[document.status] ?? document.status);
}

function documentTable(documents) {
  const header = ["Document", "Type", "Status", "Reason", "Words", "Coding"];
  return h(
    "table",
    { id: "documents" },
    h("caption", {}, `${documents.length} document(s)`),
    h("thead", {}, h("tr", {}, header.map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      documents.map((document) =>
        h(
          "tr",
          { "data-status": document.status },
          h("th", { scope: "row" }, document.external_id, subtitle(document)),
          h("td", {}, document.media_type),
          h("td", {}, status(document)),
          h("td", { class: "reason" }, document.error ?? ""),
          h("td", { class: "number" }, document.status === "failed" ? "" : document.word_count.toLocaleString()),
          h("td", {}, document.outcome ? codedStates[document.outcome] ?? document.outcome : "Not yet"),
        ),
      ),
    ),
  );
}

function jobTable(jobs) {
  const header = ["Job", "Kind", "Status", "Done", "Failed", "Flagged", "Started"];
  return h(
    "table",
    { id: "jobs" },
    h("thead", {}, h("tr", {}, header.map((name) => h("th", { scope: "col" }, name)))),
    h(
      "tbody",
      {},
      jobs.map((job) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, `#${job.id}`),
          h("td", {}, job.kind),
          h("td", {}, job.status),
          h("td", { class: "number" }, `${job.processed} of ${job.total}`),
          h("td", { class: "number" }, job.failed),
          h("td", { class: "number" }, job.flagged),
          h("td", {}, date(job.started_at ?? job.created_at)),
        ),
      ),
    ),
  );
}
