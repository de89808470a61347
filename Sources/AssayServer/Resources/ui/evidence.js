// One value as a reviewer reads it: what was coded, how sure the model was, why, and the
// document's text beside it with the evidence marked. Document text is untrusted: it only ever
// goes in as text nodes (dom.js), the evidence as the text of a <mark>.

import { h, date } from "./dom.js";

export const statusNames = { validated: "Validated", flagged: "Flagged", failed: "Failed" };
export const verdictNames = { correct: "Correct", incorrect: "Incorrect", partially_correct: "Partly right" };
const matchNames = { exact: "found as quoted", normalized: "found with spacing or case changed", fuzzy: "found approximately", not_found: "not found in the text" };

// A value as a person reads it: text as is, lists joined, nothing as an em dash.
export function shown(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map(shown).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function percent(share) {
  return share === null || share === undefined ? "not given" : `${Math.round(share * 100)}%`;
}

function agreement(value) {
  if (!value.runs || value.runs < 2) return "one run";
  return `${percent(value.run_agreement)} of ${value.runs} runs (${(value.run_values ?? []).map(shown).join(", ")})`;
}

function row(term, description, id) {
  return [h("dt", {}, term), h("dd", id ? { id } : {}, description)];
}

// The facts of one value, as a description list.
export function details(value, document) {
  const evidence = value.evidence;
  const where = evidence ? [evidence.page ? `page ${evidence.page}, ` : "", matchNames[evidence.match] ?? evidence.match] : [];
  return h(
    "dl",
    { class: "facts", id: "value-facts" },
    row("Variable", value.entity_text ? `${value.variable} (${value.entity_text})` : value.variable),
    row("Document", document?.external_id ?? `#${value.document_id}`),
    row("Value", h("strong", {}, shown(value.value)), "value-shown"),
    row("Status", h("span", { class: `badge badge-${value.status}` }, statusNames[value.status] ?? value.status), "value-status"),
    value.error ? row("Why", value.error) : null,
    row("Confidence", percent(value.confidence)),
    row("Run agreement", agreement(value)),
    row("Rationale", value.rationale ?? "none given"),
    row("Evidence", evidence ? [h("q", {}, evidence.quote), " ", h("span", { class: "muted", id: "evidence-page" }, `(${where.join("")})`)] : "none given"),
    row("Coded", `${date(value.created_at)} by ${value.model}, codebook version ${value.codebook_version}`),
  );
}

// The document's text as Unicode scalars: evidence offsets count scalars, JavaScript strings
// count UTF-16 units, and Array.from splits by scalar.
const scalarsOf = new WeakMap();

// The document's text with the evidence (its offsets) in a <mark>.
export function documentText(document, evidence) {
  const text = document.text ?? "";
  if (!evidence || evidence.start === null || evidence.start === undefined || evidence.end === null || evidence.end === undefined) {
    return [text];
  }
  if (!scalarsOf.has(document)) scalarsOf.set(document, Array.from(text));
  const scalars = scalarsOf.get(document);
  const piece = (from, to) => scalars.slice(from, to).join("");
  const label = evidence.page ? `Evidence, page ${evidence.page}` : "Evidence";
  return [piece(0, evidence.start), h("mark", { id: "evidence", title: label }, piece(evidence.start, evidence.end)), piece(evidence.end)];
}

// A value's feedback so far, newest first.
export function feedbackList(items) {
  if (items.length === 0) return h("p", { class: "empty", id: "feedback" }, "No feedback on this value yet.");
  return h(
    "ul",
    { id: "feedback", class: "feedback" },
    [...items].reverse().map((item) =>
      h(
        "li",
        { "data-verdict": item.verdict },
        h("strong", {}, verdictNames[item.verdict] ?? item.verdict),
        item.corrected_value !== null && item.corrected_value !== undefined ? `: should be ${shown(item.corrected_value)}` : "",
        item.note ? [" — ", h("q", {}, item.note)] : "",
        h("span", { class: "muted" }, ` · ${item.author ?? "you"}, ${date(item.created_at)}`),
      ),
    ),
  );
}
