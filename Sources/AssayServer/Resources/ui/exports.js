// Downloads from the project page: the dataset in every format Assay writes, and the codebook as
// YAML. The files come through fetch (which carries the session's token) and are saved from a
// Blob under the name the service gives them.

import * as api from "./api.js";
import { h } from "./dom.js";

// What `GET /projects/{id}/export` writes (ExportFormat and ExportLayout), in the researcher's words.
const datasets = [
  { query: "format=csv&layout=wide", name: "CSV, one row per document" },
  { query: "format=csv&layout=long", name: "CSV, one row per value" },
  { query: "format=jsonl", name: "JSON Lines" },
  { query: "format=xlsx", name: "Excel (.xlsx)" },
  { query: "format=sav", name: "SPSS (.sav)" },
  { query: "format=dta", name: "Stata (.dta)" },
  { query: "format=qdpx", name: "REFI-QDA project (.qdpx)" },
];

// Saves what `path` answers as a file, and says so in `status`.
export async function save(path, status, notify) {
  status.textContent = "Preparing the download…";
  try {
    const { name, blob } = await api.file(path);
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: name, hidden: true }, name);
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has the file once the click is handled; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    status.textContent = `Downloaded ${name} (${blob.size} bytes).`;
    status.dataset.file = name;
  } catch (error) {
    status.textContent = "";
    if (error.status !== 401) notify(error.message, "error");
  }
}

// The export card: one button per format, and a line saying what was downloaded.
export function exportCard(id, notify) {
  const status = h("p", { id: "export-status", role: "status" });
  const buttons = datasets.map((dataset) =>
    h("button", { type: "button", class: "secondary", "data-export": dataset.query, onclick: () => save(`/projects/${id}/export?${dataset.query}`, status, notify) }, dataset.name),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Export"),
    h("p", { class: "hint" }, "The values of the codebook in force, with confidence and status, as a file."),
    h("div", { class: "actions" }, buttons),
    status,
  );
}

// The button that downloads the codebook in force as YAML.
export function codebookButton(id, status, notify) {
  return h("button", { type: "button", class: "secondary", id: "export-codebook", onclick: () => save(`/projects/${id}/codebook/export?format=yaml`, status, notify) }, "Download codebook (YAML)");
}
