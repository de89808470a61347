// Building the page: elements from a tag, attributes and children. Text always goes in as text
// (never as HTML), so nothing the service returns can become markup or script.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces what `element` shows.
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

// A labelled form field: the label names the input, an error shows beside it.
export function field(label, input) {
  const id = input.id || `field-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  input.id = id;
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  return h("div", { class: "field" }, h("label", { for: id }, label), input, error);
}

// Shows `message` beside the field `input` (or clears it with null), for screen readers too.
export function fieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (!error) return;
  error.textContent = message ?? "";
  error.hidden = !message;
  if (message) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
  } else {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
}

// A view's heading, focused when the view opens so keyboard and screen-reader users start there.
export function heading(text) {
  return h("h1", { tabindex: "-1", class: "view-title" }, text);
}

export function focusHeading(view) {
  view.querySelector("h1")?.focus();
}

export function date(text) {
  if (!text) return "";
  const value = new Date(text);
  return Number.isNaN(value.getTime()) ? text : value.toLocaleString();
}
