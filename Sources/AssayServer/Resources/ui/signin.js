// Signing in with an account, or creating one. In local mode (assay ui) there is nothing to sign
// in to: the address that assay ui printed carries the key.

import * as api from "./api.js";
import { h, field, fieldError, heading, focusHeading } from "./dom.js";

export function render(view, { mode, signedIn }) {
  if (mode === "local") return renderLocal(view);
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const problem = h("p", { class: "form-error", role: "alert", id: "signin-error" });
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "signin-title", novalidate: true },
    field("Email", email),
    field("Password", password),
    problem,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", id: "sign-in" }, "Sign in"),
      h("button", { type: "button", class: "secondary", id: "register", onclick: () => submit(api.register) }, "Create account"),
    ),
    h("p", { class: "hint" }, "A new account needs a password of at least 8 characters that is not a common one."),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(api.signIn);
  });

  async function submit(action) {
    problem.textContent = "";
    fieldError(email, null);
    fieldError(password, null);
    if (!email.value.trim() || !password.value) {
      problem.textContent = "Enter your email and password.";
      (email.value.trim() ? password : email).focus();
      return;
    }
    form.setAttribute("aria-busy", "true");
    try {
      await action(email.value.trim(), password.value);
      signedIn();
    } catch (error) {
      const input = error.field === "password" ? password : error.field === "email" ? email : null;
      if (input) {
        fieldError(input, error.fieldMessage);
        input.focus();
      } else {
        problem.textContent =
          error.status === 401 ? "That email and password do not match an account." : error.message;
      }
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  const title = heading("Sign in");
  title.id = "signin-title";
  view.append(title, h("p", { class: "lead" }, "Sign in to see your projects, or create an account."), form);
  focusHeading(view);
}

function renderLocal(view) {
  view.append(
    heading("Open the workbench from assay ui"),
    h(
      "div",
      { class: "card narrow" },
      h("p", {}, "This workbench runs in local mode for the person who started it, without an account."),
      h("p", {}, "Open the address that ", h("code", {}, "assay ui"), " printed in your terminal: it carries this launch's key."),
    ),
  );
  focusHeading(view);
}
