// Refining a variable from its feedback (#/projects/ID/refine): the model proposes better
// instructions from the reviewers' verdicts, each with its reasoning and a word diff against
// today's; the person picks one or writes their own, which makes a new codebook version; the
// sample then runs again on the reviewed documents, and the table shows, per variable, how many
// of the reviewers' answers the values matched when reviewed and match now.

import * as api from "./api.js";
import { h, show, field, fieldError, heading, focusHeading } from "./dom.js";

export async function render(view, { id, notify }) {
  const state = { feedback: [], proposals: null, job: null };
  const variable = h("select", { id: "refine-variable", name: "variable" });
  const propose = h("button", { type: "submit", id: "propose" }, "Propose better instructions");
  const counts = h("p", { class: "hint", id: "feedback-counts" });
  const chooser = h(
    "form",
    { class: "card", "aria-labelledby": "choose-title", novalidate: true },
    h("h2", { id: "choose-title" }, "Variable"),
    h("p", { class: "hint" }, "The model reads this variable's instructions and up to 20 reviewed values — corrections first — and proposes clearer instructions. Nothing changes until you adopt one."),
    field("Variable", variable),
    counts,
    h("div", { class: "actions" }, propose),
  );
  const proposals = h("section", { class: "card", id: "proposals", "aria-labelledby": "proposals-title", hidden: true });
  const instructions = h("textarea", { id: "new-instructions", name: "instructions", rows: 6 });
  const adopt = h("button", { type: "submit", id: "adopt" }, "Adopt as a new codebook version");
  const adoptForm = h(
    "form",
    { class: "card", id: "adopt-form", "aria-labelledby": "adopt-title", novalidate: true, hidden: true },
    h("h2", { id: "adopt-title" }, "New instructions"),
    h("p", { class: "hint" }, "Pick a proposal above or write your own; adopting makes a new codebook version, and a full run then needs a new sample."),
    field("Instructions", instructions),
    h("div", { class: "actions" }, adopt),
  );
  const rerun = h("button", { type: "button", id: "rerun", disabled: true }, "Run the sample again on the reviewed documents");
  const rerunStatus = h("p", { id: "rerun-status", role: "status", "aria-live": "polite" });
  const score = h("div", { id: "score" });
  const scoreCard = h(
    "section",
    { class: "card", "aria-labelledby": "score-title" },
    h("h2", { id: "score-title" }, "Before and after"),
    h("p", { class: "hint" }, "Per variable: the values reviewed, how many matched the reviewer's answer (the value itself when accepted, the corrected value otherwise) when reviewed, and how many the values match now."),
    h("div", { class: "actions" }, rerun),
    rerunStatus,
    score,
  );

  view.append(
    h(
      "p",
      { class: "crumbs" },
      h("a", { href: `#/projects/${id}`, id: "back-to-project" }, "Back to the project"),
      " · ",
      h("a", { href: `#/projects/${id}/review` }, "Review queue"),
    ),
    heading("Refine the codebook"),
    chooser,
    proposals,
    adoptForm,
    scoreCard,
  );
  focusHeading(view);

  try {
    const [variables, feedback] = await Promise.all([
      api.get(`/projects/${id}/codebook/variables`),
      api.get(`/projects/${id}/feedback`),
      loadScore(),
    ]);
    state.feedback = feedback.items;
    const byVariable = countByVariable(state.feedback);
    show(
      variable,
      variables.items.map((v) => {
        const seen = byVariable.get(v.name);
        const label = seen ? `${v.name} (${seen.all} reviewed, ${seen.corrected} corrected)` : `${v.name} (no feedback yet)`;
        return h("option", { value: v.name }, label);
      }),
    );
    // Start with the variable that has the most corrections.
    const most = [...byVariable.entries()].sort((a, b) => b[1].corrected - a[1].corrected)[0];
    if (most) variable.value = most[0];
    rerun.disabled = reviewedDocuments().length === 0;
    describe();
  } catch (error) {
    if (error.status !== 401) notify(error.message, "error");
  }

  variable.addEventListener("change", describe);

  chooser.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(variable, null);
    chooser.setAttribute("aria-busy", "true");
    propose.disabled = true;
    show(counts, "Asking the model… (a local model can take a minute)");
    try {
      state.proposals = await api.post(`/projects/${id}/codebook/variables/${encodeURIComponent(variable.value)}/refine`, {});
      showProposals();
    } catch (error) {
      if (error.status !== 401) fieldError(variable, error.message);
    } finally {
      chooser.removeAttribute("aria-busy");
      propose.disabled = false;
      describe();
    }
  });

  proposals.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-proposal]");
    if (!button) return;
    instructions.value = state.proposals.proposals[Number(button.dataset.proposal)].instructions;
    adoptForm.hidden = false;
    instructions.focus();
  });

  adoptForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    fieldError(instructions, null);
    if (!instructions.value.trim()) return fieldError(instructions, "Write the instructions, or pick a proposal above.");
    adopt.disabled = true;
    try {
      const version = await api.post(`/projects/${id}/codebook/variables/${encodeURIComponent(variable.value)}/adopt`, {
        instructions: instructions.value,
      });
      notify(`Codebook version ${version.version}: new instructions for ${variable.value}. Run the sample again to see what they change.`);
      rerun.disabled = reviewedDocuments().length === 0;
      rerun.focus();
    } catch (error) {
      if (error.status !== 401) fieldError(instructions, error.message);
    } finally {
      adopt.disabled = false;
    }
  });

  rerun.addEventListener("click", async () => {
    const documents = reviewedDocuments();
    if (documents.length === 0) return;
    rerun.disabled = true;
    try {
      const job = await api.post(`/projects/${id}/jobs`, { kind: "sample", document_ids: documents });
      show(rerunStatus, `Job #${job.id}: coding ${job.total} reviewed document(s) again…`);
      const done = await follow(job.id);
      show(rerunStatus, `Job #${done.id} ${done.status}: ${done.processed} of ${done.total} coded.`);
      await loadScore();
    } catch (error) {
      if (error.status !== 401) notify(error.message, "error");
    } finally {
      rerun.disabled = false;
    }
  });

  function describe() {
    const seen = countByVariable(state.feedback).get(variable.value);
    show(counts, seen ? `${seen.all} value(s) of ${variable.value} reviewed; ${seen.corrected} corrected or judged wrong.` : "No feedback on this variable yet: review some values first.");
  }

  function showProposals() {
    const p = state.proposals;
    show(
      proposals,
      h("h2", { id: "proposals-title" }, `Proposals for ${p.variable}`),
      h("p", { class: "hint" }, `From ${p.examples} reviewed value(s), by ${p.model} (prompt ${p.prompt_version}), against codebook version ${p.codebook_version}.`),
      h("h3", {}, "Today's instructions"),
      h("p", { class: "instructions", id: "current-instructions" }, p.current),
      p.proposals.length === 0 ? h("p", {}, "The model proposed nothing usable; write your own below.") : null,
      p.proposals.map((proposal, index) =>
        h(
          "article",
          { class: "proposal", id: `proposal-${index}`, "aria-labelledby": `proposal-${index}-title` },
          h("h3", { id: `proposal-${index}-title` }, `Proposal ${index + 1}`),
          h("p", { class: "reasoning" }, proposal.reasoning),
          h("p", { class: "diff", "aria-label": "Changes against today's instructions" }, proposal.diff.flatMap(diffPart)),
          h("button", { type: "button", class: "secondary", "data-proposal": index, id: `use-${index}` }, `Use proposal ${index + 1}`),
        ),
      ),
    );
    proposals.hidden = false;
    adoptForm.hidden = false;
    if (!instructions.value) instructions.value = p.current;
  }

  async function loadScore() {
    const scores = await api.get(`/projects/${id}/feedback/score`);
    if (scores.items.length === 0) return show(score, h("p", {}, "No reviewed values yet."));
    show(
      score,
      h(
        "table",
        { id: "score-table" },
        h("caption", { class: "visually-hidden" }, "Reviewers' answers matched, per variable"),
        h("thead", {}, h("tr", {}, ["Variable", "Reviewed", "Matched when reviewed", "Match now", "Coded again"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          scores.items.map((s) =>
            h("tr", { id: `score-${s.variable}` }, h("th", { scope: "row" }, s.variable), h("td", {}, s.reviewed), h("td", {}, s.before), h("td", {}, s.now), h("td", {}, s.recoded)),
          ),
        ),
      ),
    );
  }

  function reviewedDocuments() {
    return [...new Set(state.feedback.map((f) => f.document_id))];
  }

  // The job until it is over, read every second.
  async function follow(jobID) {
    for (;;) {
      const job = await api.get(`/jobs/${jobID}`);
      if (!["pending", "running"].includes(job.status)) return job;
      show(rerunStatus, `Job #${job.id} ${job.status}: ${job.processed} of ${job.total} coded…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function countByVariable(feedback) {
  const counts = new Map();
  for (const f of feedback) {
    if (!f.variable) continue;
    const entry = counts.get(f.variable) ?? { all: 0, corrected: 0 };
    entry.all += 1;
    if (f.verdict !== "correct") entry.corrected += 1;
    counts.set(f.variable, entry);
  }
  return counts;
}

function diffPart(part) {
  if (part.kind === "added") return [h("ins", {}, part.text), " "];
  if (part.kind === "removed") return [h("del", {}, part.text), " "];
  return [part.text, " "];
}
