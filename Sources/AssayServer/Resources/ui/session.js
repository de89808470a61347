// Who is signed in, for this browser tab only: sessionStorage, never a URL, a cookie or local storage.
// An account's session is { kind: "account", token, refresh, email }; the local mode's (assay ui)
// is { kind: "local", token } with the launch's key as the token.

const KEY = "assay.session";

export function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

export function save(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clear() {
  sessionStorage.removeItem(KEY);
}
