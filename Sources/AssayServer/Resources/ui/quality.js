// How good the coding is (#/projects/ID/quality): the values against a gold set a person wrote
// (a CSV file: document, variable, value), and how well the values' confidence predicts what
// reviewers said. The same figures as `assay eval` and `assay eval --feedback`; the agreement
// among coders is on the project page.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading } from "./dom.js";

export async function render(view, { id, notify }) {
  const file = h("input", { type: "file", id: "gold-file", name: "gold", accept: ".csv,text/csv" });
  const goldResult = h("div", { id: "gold-result", "aria-live": "polite" });
  const goldForm = h(
    "form",
    { class: "card", "aria-labelledby": "gold-title", novalidate: true },
    h("h2", { id: "gold-title" }, "Against a gold set"),
    h(
      "p",
      { class: "hint" },
      "A CSV file with the columns document, variable, value: codes a person wrote, documents named as on the project page. Per variable: accuracy, Cohen's κ and Krippendorff's α with the gold set as a coder, precision, recall and F1 per category, and the calibration of the confidence.",
    ),
    field("Gold set (CSV)", file),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "evaluate" }, "Score the values")),
    goldResult,
  );
  const feedbackResult = h("div", { id: "calibration-result", "aria-live": "polite" }, "Loading…");
  const feedbackCard = h(
    "section",
    { class: "card", "aria-labelledby": "calibration-title" },
    h("h2", { id: "calibration-title" }, "Confidence against the reviewers' verdicts"),
    h(
      "p",
      { class: "hint" },
      "The values reviewed (the latest verdict each: correct is right, incorrect and partly correct are wrong) in ten confidence bands. Reviewers see flagged and unsure values first, so this describes the reviewed values, not all.",
    ),
    feedbackResult,
  );
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: `#/projects/${id}`, id: "back-to-project" }, "Back to the project")),
    heading("Quality"),
    goldForm,
    feedbackCard,
  );
  focusHeading(view);

  goldForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(file, null);
    const chosen = file.files?.[0];
    if (!chosen) return fieldError(file, "Choose a CSV file first.");
    goldForm.setAttribute("aria-busy", "true");
    try {
      const evaluation = await api.postText(`/projects/${id}/eval`, await chosen.text(), "text/csv");
      show(goldResult, evaluationView(evaluation));
      notify(`Scored ${evaluation.items.length} variable(s) against ${chosen.name}.`);
    } catch (error) {
      if (error.status !== 401) fieldError(file, error.message);
    } finally {
      goldForm.removeAttribute("aria-busy");
    }
  });

  try {
    const { items } = await api.get(`/projects/${id}/calibration`);
    show(feedbackResult, items.length === 0 ? h("p", { class: "empty" }, "No reviewed values yet.") : items.map((item) => reportView(item, "feedback")));
  } catch (error) {
    if (error.status !== 401) show(feedbackResult, h("p", { class: "empty" }, error.message));
  }
}

function evaluationView(evaluation) {
  const notes = [];
  if (evaluation.unknown_documents.length) notes.push(`Not in the project, left out: ${evaluation.unknown_documents.join(", ")}`);
  if (evaluation.unknown_variables.length) notes.push(`Not in the codebook, left out: ${evaluation.unknown_variables.join(", ")}`);
  // One flat list: the page's `show` takes elements, not lists of lists.
  return [
    summaryTable(evaluation.items),
    ...notes.map((note) => h("p", { class: "hint" }, note)),
    ...evaluation.items.map((item) => reportView(item, "gold")),
  ];
}

const number = (value, digits = 3) => (value == null ? "–" : value.toFixed(digits));

function summaryTable(items) {
  return h(
    "table",
    { id: "gold-summary" },
    h("caption", { class: "visually-hidden" }, "Per variable against the gold set"),
    h("thead", {}, h("tr", {}, ["Variable", "Gold codes", "Accuracy", "Cohen's κ", "Krippendorff's α", "Calibration error"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      items.map(({ variable, report }) =>
        h(
          "tr",
          { id: `gold-${variable}` },
          h("th", { scope: "row" }, variable),
          h("td", {}, `${report.units}${report.missing ? ` (${report.missing} without a value)` : ""}`),
          h("td", {}, number(report.accuracy)),
          h("td", {}, number(report.kappa)),
          h("td", {}, number(report.alpha)),
          h("td", {}, number(report.expected_calibration_error)),
        ),
      ),
    ),
  );
}

// One variable's categories and calibration bands.
function reportView({ variable, report }, source) {
  const bands = report.calibration.filter((bin) => bin.count > 0);
  return h(
    "section",
    { class: "report", id: `${source}-${variable}-report`, "aria-labelledby": `${source}-${variable}-title` },
    h("h3", { id: `${source}-${variable}-title` }, variable),
    h("p", {}, `${report.units} value(s); accuracy ${number(report.accuracy)}; expected calibration error ${number(report.expected_calibration_error)}`
      + (report.expected_calibration_error_before_blending != null ? ` (before blending several runs: ${number(report.expected_calibration_error_before_blending)})` : "")),
    report.categories.length === 0
      ? null
      : h(
          "table",
          {},
          h("caption", {}, "Per category"),
          h("thead", {}, h("tr", {}, ["Category", "Gold codes", "Precision", "Recall", "F1"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, report.categories.map((c) => h("tr", {}, h("th", { scope: "row" }, c.category), h("td", {}, c.support), h("td", {}, number(c.precision)), h("td", {}, number(c.recall)), h("td", {}, number(c.f1))))),
        ),
    bands.length === 0
      ? h("p", { class: "hint" }, "No value has a confidence to calibrate.")
      : h(
          "table",
          { class: "calibration" },
          h("caption", {}, "Calibration: how often values in each confidence band are right"),
          h("thead", {}, h("tr", {}, ["Confidence", "Values", "Mean confidence", "Share right"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, bands.map((b) => h("tr", {}, h("th", { scope: "row" }, `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`), h("td", {}, b.count), h("td", {}, number(b.mean_confidence, 2)), h("td", {}, number(b.accuracy, 2))))),
        ),
  );
}
