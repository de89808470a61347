// One project: add documents (every format Assay reads) and see whether each could be read and
// why not; run a sample or everything, and watch, pause, resume or cancel the project's jobs.
// What shows follows the person's role: an owner has everything (sharing and assignments too), a
// coder their assignments, a viewer read-only cards (the service refuses the rest anyway).

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading, date } from "./dom.js";
import { exportCard, codebookButton } from "./exports.js";
import { sharingCard, assignmentsCard, myAssignmentsCard, agreementCard } from "./sharing.js";

const documentStates = { ready: "Readable", failed: "Failed", uploaded: "Uploaded", parsed: "Parsed" };
const codedStates = { succeeded: "Coded", flagged: "Coded, flagged", failed: "Coding failed" };
const uploadOutcomes = { inserted: "added", updated: "updated", unchanged: "already there", skipped: "skipped as a duplicate" };
// What a person can do with a job in each state; the service decides whether it may.
const jobActions = { running: ["pause", "cancel"], pending: ["cancel"], paused: ["resume", "cancel"] };
const actionNames = { pause: "Pause", resume: "Resume", cancel: "Cancel" };
// A codebook file's type by its ending, as the service reads it.
const codebookTypes = { yaml: "application/yaml", yml: "application/yaml", json: "application/json", csv: "text/csv", qdc: "application/xml" };
// How often the jobs are read again while one is under way.
const followEvery = 1000;

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
  const codebookFile = h("input", { type: "file", name: "codebook", accept: ".yaml,.yml,.json,.csv,.qdc", required: true });
  const codebookState = h("p", { id: "codebook-state", "aria-live": "polite" }, "Loading the codebook…");
  const codebookSaved = h("p", { id: "codebook-download", role: "status" });
  const codebookProblems = h("ul", { class: "form-error", id: "codebook-problems", role: "alert", hidden: true });
  const codebookForm = h(
    "form",
    { class: "card", "aria-labelledby": "codebook-title", novalidate: true },
    h("h2", { id: "codebook-title" }, "Codebook"),
    codebookState,
    h("p", { class: "hint", id: "codebook-hint" }, "A codebook file: YAML or JSON (as assay codebook import reads), CSV, or a REFI-QDA .qdc. Importing makes a new version."),
    field("Codebook file", codebookFile),
    codebookProblems,
    h("div", { class: "actions" }, h("button", { type: "submit", id: "import-codebook" }, "Import codebook"), codebookButton(id, codebookSaved, notify)),
    h("p", {}, h("a", { href: `#/projects/${id}/codebook`, id: "edit-codebook", class: "button" }, "Write or edit the codebook in a form (with the co-pilot)")),
    codebookSaved,
  );
  codebookFile.setAttribute("aria-describedby", "codebook-hint");
  const sampleSize = h("input", { type: "number", id: "sample-size", min: 1, step: 1, value: 20, required: true, inputmode: "numeric" });
  const runSample = h("button", { type: "submit", id: "run-sample" }, "Run a sample");
  const runAll = h("button", { type: "button", class: "secondary", id: "run-all" }, "Run all documents");
  // Shown only after the service refused a full run for want of a sample: skipping the review is
  // the person's explicit choice, never the page's.
  const runAllAnyway = h(
    "button",
    { type: "button", class: "secondary", id: "run-all-skip-sample", hidden: true },
    "Run all without a sample",
  );
  const runForm = h(
    "form",
    { class: "card", "aria-labelledby": "run-title", novalidate: true },
    h("h2", { id: "run-title" }, "Run"),
    h(
      "p",
      { class: "hint", id: "run-hint" },
      "A sample codes a few documents chosen at random, to review before the rest; all codes every document not yet done with this codebook.",
    ),
    field("Sample size", sampleSize),
    h("div", { class: "actions" }, runSample, runAll, runAllAnyway),
  );
  sampleSize.setAttribute("aria-describedby", "run-hint");
  const jobs = h("section", { "aria-labelledby": "jobs-title" }, h("h2", { id: "jobs-title" }, "Jobs"));
  const jobList = h("div", { "aria-live": "polite" }, "Loading jobs…");
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

  const review = h(
    "section",
    { class: "card", "aria-labelledby": "review-title" },
    h("h2", { id: "review-title" }, "Review"),
    h("p", { class: "hint" }, "Each value beside its document, with the evidence marked: accept it, correct it, or say why it is wrong."),
    h("p", {}, h("a", { href: `#/projects/${id}/review`, id: "open-review", class: "button" }, "Open the review queue")),
    h("p", { class: "hint" }, "Then refine: the model proposes clearer instructions from your verdicts, you adopt one, and the sample runs again."),
    h("p", {}, h("a", { href: `#/projects/${id}/refine`, id: "open-refine", class: "button secondary" }, "Refine the codebook")),
    h("p", { class: "hint" }, "How good the coding is: the values against a gold set, and the confidence against your verdicts."),
    h("p", {}, h("a", { href: `#/projects/${id}/quality`, id: "open-quality", class: "button secondary" }, "Quality")),
  );

  const crumbs = h("p", { class: "crumbs" }, h("a", { href: "#/projects" }, "All projects"));
  view.append(crumbs, title, stage);

  codebookForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = codebookFile.files[0];
    if (!file) {
      fieldError(codebookFile, "Choose a codebook file first.");
      codebookFile.focus();
      return;
    }
    const ending = file.name.split(".").pop().toLowerCase();
    if (!codebookTypes[ending]) {
      fieldError(codebookFile, "A codebook is a .yaml, .yml, .json, .csv or .qdc file.");
      return;
    }
    fieldError(codebookFile, null);
    codebookProblems.hidden = true;
    codebookForm.setAttribute("aria-busy", "true");
    try {
      const version = await api.putText(`/projects/${id}/codebook`, await file.text(), codebookTypes[ending]);
      notify(`Codebook version ${version.version} imported: ${version.variables} variable(s).`);
      codebookFile.value = "";
      showCodebook(version);
    } catch (error) {
      if (error.status === 401) return;
      // Each problem names where it is in the file (variables[2].type, say).
      const problems = error.errors.length > 0 ? error.errors.map((problem) => `${problem.field ? problem.field + ": " : ""}${problem.detail}`) : [error.message];
      show(codebookProblems, problems.map((problem) => h("li", {}, problem)));
      codebookProblems.hidden = false;
      fieldError(codebookFile, "This codebook was not imported; the problems are listed below.");
    } finally {
      codebookForm.removeAttribute("aria-busy");
    }
  });

  function showCodebook(version) {
    codebookState.textContent = version
      ? `Version ${version.version}, ${version.variables} variable(s), imported ${date(version.created_at)}.`
      : "No codebook yet: import one before running.";
  }

  async function loadCodebook() {
    try {
      showCodebook(await api.get(`/projects/${id}/codebook`));
    } catch (error) {
      if (error.status === 404 || error.status === 409) return showCodebook(null);
      throw error;
    }
  }

  runForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const size = Number(sampleSize.value);
    if (!Number.isInteger(size) || size < 1) {
      fieldError(sampleSize, "A sample is a whole number of documents, 1 or more.");
      sampleSize.focus();
      return;
    }
    fieldError(sampleSize, null);
    startJob({ kind: "sample", sample_size: size });
  });
  runAll.addEventListener("click", () => startJob({ kind: "full" }));
  runAllAnyway.addEventListener("click", () => startJob({ kind: "full", skip_sample: true }));
  jobList.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { action, job } = button.dataset;
    button.disabled = true;
    try {
      const changed = await api.post(`/jobs/${job}/${action}`, {});
      notify(String(changed.id) === job ? `Job #${job} ${changed.status}.` : `Job #${job} continues as job #${changed.id}.`);
      await loadJobs();
    } catch (error) {
      button.disabled = false;
      if (error.status !== 401) notify(error.message, "error");
    }
  });

  async function startJob(request) {
    runForm.setAttribute("aria-busy", "true");
    try {
      const job = await api.post(`/projects/${id}/jobs`, request);
      runAllAnyway.hidden = true;
      notify(`Job #${job.id} started: ${job.total} document(s) to code.`);
      await loadJobs();
    } catch (error) {
      if (error.status !== 401) notify(error.message, "error");
      if (error.status === 409 && request.kind === "full" && !request.skip_sample && /no sample/.test(error.message)) {
        runAllAnyway.hidden = false;
      }
    } finally {
      runForm.removeAttribute("aria-busy");
    }
  }

  // While a job is under way the page reads the jobs every second (and the documents when one
  // ends), until the person leaves the page.
  let following = null;
  function follow(items) {
    const underWay = items.some((job) => job.status === "running" || job.status === "pending");
    if (underWay && !following) {
      following = setInterval(async () => {
        if (!view.isConnected) return stopFollowing();
        try {
          await loadJobs();
        } catch (error) {
          stopFollowing();
          if (error.status !== 401) notify(error.message, "error");
        }
      }, followEvery);
    } else if (!underWay && following) {
      stopFollowing();
      loadDocuments().catch(() => {});
    }
  }
  function stopFollowing() {
    clearInterval(following);
    following = null;
  }
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
    follow(items);
  }

  try {
    const project = await api.get(`/projects/${id}`);
    const role = project.role ?? "owner";
    title.textContent = project.name;
    document.title = `${project.name} · Assay workbench`;
    const shared = role === "owner" ? "" : ` · shared with you as ${role}`;
    stage.textContent = `Stage: ${project.status.replaceAll("_", " ")} · created ${date(project.created_at)}${shared}`;
    const loads = [loadDocuments(), loadCodebook()];
    // assay ui's local mode has no accounts to share with.
    const local = document.documentElement.dataset.mode === "local";
    if (role === "owner" && local) {
      const agreement = agreementCard(id);
      view.append(uploadForm, documents, codebookForm, runForm, jobs, review, agreement.card, exportCard(id, notify));
      loads.push(loadJobs(), agreement.load());
    } else if (role === "owner") {
      const assignments = assignmentsCard(id, notify);
      const sharing = sharingCard(id, notify, assignments.setCoders);
      const agreement = agreementCard(id);
      view.append(uploadForm, documents, codebookForm, runForm, jobs, review, sharing.card, assignments.card, agreement.card, exportCard(id, notify));
      loads.push(loadJobs(), sharing.load(), assignments.load(), agreement.load());
    } else if (role === "coder") {
      const mine = myAssignmentsCard(id);
      view.append(mine.card, documents, readOnly(codebookForm));
      loads.push(mine.load());
    } else {
      const agreement = agreementCard(id);
      view.append(documents, readOnly(codebookForm), readOnly(jobs), agreement.card, exportCard(id, notify));
      loads.push(loadJobs(), agreement.load());
    }
    focusHeading(view);
    await Promise.all(loads);
  } catch (error) {
    if (error.status === 401) return;
    show(view, heading("Project not found"), h("p", { role: "alert" }, error.message), h("p", {}, h("a", { href: "#/projects" }, "All projects")));
    focusHeading(view);
  }
}

// A card without the controls that change the project: what a coder or viewer sees.
function readOnly(card) {
  for (const control of card.querySelectorAll("form .field, .actions, .hint")) control.remove();
  // Job rows are drawn later; their buttons are hidden by the card's class.
  card.classList.add("read-only");
  return card;
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
  const header = ["Job", "Kind", "Status", "Done", "Failed", "Flagged", "Started", "Actions"];
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
          { id: `job-${job.id}`, "data-status": job.status },
          h("th", { scope: "row" }, `#${job.id}`),
          h("td", {}, job.kind),
          h("td", {}, job.status),
          h(
            "td",
            { class: "number" },
            `${job.processed} of ${job.total}`,
            job.total > 0 ? h("progress", { max: job.total, value: job.processed, "aria-label": `Job #${job.id}: ${job.processed} of ${job.total} done` }) : null,
          ),
          h("td", { class: "number" }, job.failed),
          h("td", { class: "number" }, job.flagged),
          h("td", {}, date(job.started_at ?? job.created_at)),
          h(
            "td",
            { class: "job-actions" },
            (jobActions[job.status] ?? []).map((action) =>
              h(
                "button",
                { type: "button", class: "secondary small", "data-action": action, "data-job": job.id, "aria-label": `${actionNames[action]} job #${job.id}` },
                actionNames[action],
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
