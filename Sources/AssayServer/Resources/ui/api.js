// The JSON API of this same origin (the one README.md documents), and signing in and out.
// Every request carries the session's token as a bearer token; a 401 tries the refresh token
// once, then ends the session and sends the person back to sign in.

import * as session from "./session.js";

// A problem document (RFC 7807) from the service: `detail` is for people, `field` names the input.
export class APIError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `the service answered ${status}`);
    this.status = status;
    this.field = problem.field;
    this.errors = problem.errors || [];
  }

  // What to say beside the field: its own problem without the field's name in front.
  get fieldMessage() {
    const own = this.errors.find((error) => error.field === this.field)?.detail ?? this.message;
    return own.charAt(0).toUpperCase() + own.slice(1);
  }
}

let signedOut = () => {};

// What to do when there is no session, or the service no longer accepts it (`ended`).
export function whenSignedOut(handler) {
  signedOut = handler;
}

const readJSON = (response) => (response.status === 204 ? null : response.json());

// A download: the file's bytes and the name the service gives it (Content-Disposition).
async function readFile(response) {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="([^"/\\]+)"/.exec(disposition)?.[1] ?? "download";
  return { name, blob: await response.blob() };
}

async function request(method, path, body, headers = {}, read = readJSON) {
  const response = await fetch(path, {
    method,
    headers: { Accept: "application/json", ...headers },
    body,
    credentials: "omit",
    cache: "no-store",
    redirect: "error",
  });
  if (response.ok) return read(response);
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not a problem document (a proxy's page, say): the status says enough.
  }
  throw new APIError(response.status, problem);
}

async function authorized(method, path, body, headers = {}, read = readJSON, retried = false) {
  const current = session.load();
  if (!current) {
    signedOut(false);
    throw new APIError(401, { detail: "sign in first" });
  }
  try {
    return await request(method, path, body, { ...headers, Authorization: `Bearer ${current.token}` }, read);
  } catch (error) {
    if (!(error instanceof APIError) || error.status !== 401) throw error;
    if (!retried && current.kind === "account" && current.refresh && (await refresh(current))) {
      return authorized(method, path, body, headers, read, true);
    }
    session.clear();
    signedOut(true);
    throw error;
  }
}

function json(value) {
  return [JSON.stringify(value), { "Content-Type": "application/json" }];
}

export const get = (path) => authorized("GET", path);
export const post = (path, value) => authorized("POST", path, ...json(value));
export const put = (path, value) => authorized("PUT", path, ...json(value));
export const del = (path) => authorized("DELETE", path);
// A file to save ({ name, blob }): a plain link would not carry the session's token.
export const file = (path) => authorized("GET", path, undefined, { Accept: "*/*" }, readFile);
// A text body of its own type (a codebook file as YAML, JSON, CSV or REFI-QDA XML; a gold set as CSV).
export const putText = (path, text, type) => authorized("PUT", path, text, { "Content-Type": type });
export const postText = (path, text, type) => authorized("POST", path, text, { "Content-Type": type });
// Files as multipart/form-data, one `files` part each (the browser sets the boundary).
export function upload(path, files) {
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  return authorized("POST", path, form);
}

export async function signIn(email, password) {
  const tokens = await request("POST", "/auth/login", ...json({ email, password }));
  session.save({ kind: "account", token: tokens.access_token, refresh: tokens.refresh_token, email: tokens.user.email });
}

// Registering answers the same whether or not the email was taken; signing in then tells.
export async function register(email, password) {
  await request("POST", "/auth/register", ...json({ email, password }));
  await signIn(email, password);
}

async function refresh(current) {
  try {
    const tokens = await request("POST", "/auth/refresh", ...json({ refresh_token: current.refresh }));
    session.save({ ...current, token: tokens.access_token, refresh: tokens.refresh_token });
    return true;
  } catch {
    return false;
  }
}

// Ends the session at the service too (its refresh token and this access token), then here.
export async function signOut() {
  const current = session.load();
  session.clear();
  if (current?.kind !== "account") return;
  try {
    const [body, headers] = json({ refresh_token: current.refresh });
    await request("POST", "/auth/logout", body, { ...headers, Authorization: `Bearer ${current.token}` });
  } catch {
    // Already ended (expired, revoked): nothing more to do.
  }
}
