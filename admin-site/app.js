// doctor-live admin: a small static app over the REST API (no build step).
// Config comes from /config.json ({"apiUrl": "..."}), generated at deploy or by `make dev`.
const state = { apiUrl: "", session: JSON.parse(sessionStorage.getItem("session") || "null") };
const main = document.getElementById("main");
const say = (text) => { document.getElementById("status").textContent = text || ""; };
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

async function api(method, path, body) {
  const headers = { "content-type": "application/json" };
  if (state.session) headers.authorization = `Bearer ${state.session.access_token}`;
  let res = await fetch(state.apiUrl + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (res.status === 401 && state.session && path !== "/api/v1/auth/refresh") {
    const refreshed = await fetch(state.apiUrl + "/api/v1/auth/refresh", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: state.session.refresh_token }) });
    if (refreshed.ok) { saveSession({ ...state.session, ...(await refreshed.json()) }); return api(method, path, body); }
    saveSession(null); location.hash = "#/login";
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = data?.error || { message: res.statusText };
    const fields = err.details?.fields?.map((f) => `${f.field}: ${f.message}`).join("; ");
    throw new Error(fields ? `${err.message} (${fields})` : err.message);
  }
  return data;
}

function saveSession(session) {
  state.session = session;
  if (session) sessionStorage.setItem("session", JSON.stringify(session)); else sessionStorage.removeItem("session");
  document.getElementById("nav").hidden = !session;
  document.getElementById("who").textContent = session ? `${session.user.email} (${session.user.role})` : "";
}

function form(el, handler) {
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    say("");
    try { await handler(Object.fromEntries(new FormData(el))); } catch (err) { say(err.message); }
  });
}

const views = {
  async login() {
    main.innerHTML = `<section><h1>Log in</h1><form id="f">
      <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required>
      <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
      <button>Log in</button></form></section>`;
    form(document.getElementById("f"), async (v) => {
      saveSession(await api("POST", "/api/v1/auth/login", v));
      location.hash = "#/dashboard";
    });
  },

  async "set-password"(params) {
    main.innerHTML = `<section><h1>Choose your password</h1><form id="f">
      <label for="pw">New password (at least 10 characters)</label>
      <input id="pw" name="new_password" type="password" minlength="10" autocomplete="new-password" required>
      <button>Save password</button></form></section>`;
    form(document.getElementById("f"), async (v) => {
      await api("POST", "/api/v1/auth/set-password", { token: params.get("token"), new_password: v.new_password });
      say("Password saved. You can log in now.");
      location.hash = "#/login";
    });
  },

  async dashboard() {
    const s = await api("GET", "/api/v1/stats");
    main.innerHTML = `<section><h1>Dashboard</h1><div class="cards">${Object.entries(s)
      .map(([k, v]) => `<div class="card"><b>${v}</b>${esc(k.replaceAll("_", " "))}</div>`).join("")}</div></section>`;
  },

  async entities() {
    const page = await api("GET", "/api/v1/entities?limit=100");
    const manager = state.session.user.role === "MANAGER";
    main.innerHTML = `<section><h1>Entities <span class="muted">(${page.total})</span></h1><table>
      <thead><tr><th>Name</th><th>Type</th><th>Max participants</th><th>Departments</th><th>Active</th></tr></thead><tbody>
      ${page.items.map((e) => `<tr><td><a href="#/entity?id=${e.id}">${esc(e.name)}</a></td><td>${esc(e.type)}</td>
        <td>${e.max_participants}</td><td>${e.department_count}</td><td>${e.active ? "yes" : "no"}</td></tr>`).join("")}
      </tbody></table></section>
      ${manager ? `<section><h2>New entity</h2><form id="f">
        <label for="n">Name</label><input id="n" name="name" required maxlength="200">
        <label for="t">Type</label><input id="t" name="type" required maxlength="50" placeholder="medical_clinic">
        <label for="m">Max participants (1–100)</label><input id="m" name="max_participants" type="number" min="1" max="100" value="10">
        <button>Create</button></form></section>` : ""}`;
    if (manager) form(document.getElementById("f"), async (v) => {
      await api("POST", "/api/v1/entities", { ...v, max_participants: Number(v.max_participants) });
      views.entities();
    });
  },

  async entity(params) {
    const id = params.get("id");
    const [e, deps, users] = await Promise.all([api("GET", `/api/v1/entities/${id}`),
      api("GET", `/api/v1/entities/${id}/departments`), api("GET", `/api/v1/entities/${id}/users`)]);
    main.innerHTML = `<section><h1>${esc(e.name)}</h1><form id="fi">
        <label for="di">Default AI instructions</label><textarea id="di" name="default_instructions" rows="5" maxlength="8000">${esc(e.default_instructions)}</textarea>
        <label for="rr">Recording retention</label><select id="rr" name="recording_retention_days">
          ${[7, 30, 90, 365].map((d) => `<option ${d === e.recording_retention_days ? "selected" : ""}>${d}</option>`).join("")}</select>
        <button>Save</button></form></section>
      <section><h2>Departments</h2><ul>${deps.map((d) => `<li>${esc(d.name)}</li>`).join("") || "<li class='muted'>none yet</li>"}</ul>
        <form id="fd"><label for="dn">New department</label><input id="dn" name="name" required maxlength="200">
        <label for="dinst">Instructions</label><textarea id="dinst" name="instructions" rows="3" maxlength="8000"></textarea>
        <button>Add department</button></form></section>
      <section><h2>Users</h2><table><tbody>${users.map((u) => `<tr><td>${esc(u.name)}</td><td>${esc(u.email)}</td><td>${u.role}</td>
        <td>${u.active ? "active" : "inactive"}</td></tr>`).join("")}</tbody></table>
        <form id="fu"><label for="ue">E-mail</label><input id="ue" name="email" type="email" required>
        <label for="un">Name</label><input id="un" name="name" required>
        <label for="ur">Role</label><select id="ur" name="role"><option>PROFESSIONAL</option><option>ENTITY_ADMIN</option></select>
        <button>Invite user</button></form><p id="link" class="muted"></p></section>`;
    form(document.getElementById("fi"), async (v) => {
      await api("PUT", `/api/v1/entities/${id}`, { ...v, recording_retention_days: Number(v.recording_retention_days) });
      say("Saved.");
    });
    form(document.getElementById("fd"), async (v) => { await api("POST", `/api/v1/entities/${id}/departments`, v); views.entity(params); });
    form(document.getElementById("fu"), async (v) => {
      const u = await api("POST", `/api/v1/entities/${id}/users`, v);
      say(`Invitation sent to ${u.email}.`);
    });
  },

  async knowledge() {
    const docs = await api("GET", "/api/v1/knowledge-base/documents?limit=50" + entityParam());
    main.innerHTML = `<section><h1>Knowledge base</h1><form id="fu">
        <label for="file">PDF (up to 25 MB)</label><input id="file" name="file" type="file" accept="application/pdf,.pdf" required>
        <button>Upload</button></form></section>
      <section><h2>Search</h2><form id="fs"><label for="q">Question</label><input id="q" name="q" required minlength="2">
        <button>Search</button></form><div id="hits"></div></section>
      <section><h2>Documents</h2><table><thead><tr><th>File</th><th>Status</th><th>Chunks</th><th>Pages</th><th></th></tr></thead><tbody>
        ${docs.items.map((d) => `<tr><td>${esc(d.filename)}</td><td>${d.status}${d.status_reason ? `<br><span class="error">${esc(d.status_reason)}</span>` : ""}</td>
          <td>${d.chunk_count}</td><td>${d.page_count ?? ""}</td>
          <td><button class="secondary" data-del="${d.id}" aria-label="Delete ${esc(d.filename)}">Delete</button></td></tr>`).join("")}
      </tbody></table></section>`;
    main.querySelectorAll("[data-del]").forEach((b) => b.addEventListener("click", async () => {
      await api("DELETE", `/api/v1/knowledge-base/documents/${b.dataset.del}`); views.knowledge();
    }));
    form(document.getElementById("fu"), async () => {
      const file = document.getElementById("file").files[0];
      const accepted = await api("POST", "/api/v1/knowledge-base/uploads", { filename: file.name, size_bytes: file.size, ...entityBody() });
      const body = new FormData();
      Object.entries(accepted.upload.fields).forEach(([k, v]) => body.append(k, v));
      body.append("file", file);
      const sent = await fetch(accepted.upload.url, { method: "POST", body });
      if (!sent.ok) throw new Error(`Upload refused by storage (${sent.status})`);
      say("Uploaded; processing…");
      for (;;) {
        const job = await api("GET", `/api/v1/knowledge-base/jobs/${accepted.job_id}`);
        if (job.status === "completed" || job.status === "failed") {
          say(job.status === "completed" ? `Ready: ${job.chunk_count} passages from ${job.page_count} pages.` : `Failed: ${job.reason}`);
          return views.knowledge();
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    form(document.getElementById("fs"), async (v) => {
      const r = await api("GET", `/api/v1/knowledge-base?q=${encodeURIComponent(v.q)}&limit=5` + entityParam());
      document.getElementById("hits").innerHTML = r.hits.map((h) => `<div class="hit"><b>${esc(h.filename)}</b>
        <span class="muted">p. ${h.page_start}${h.page_end !== h.page_start ? `–${h.page_end}` : ""} · ${(h.similarity * 100).toFixed(0)}%</span>
        <p>${esc(h.content.slice(0, 400))}…</p></div>`).join("") || "<p class='muted'>Nothing relevant found.</p>";
    });
  },
};

// A manager works on one entity at a time: the first one listed (chosen on the entity page).
function entityParam() { const e = sessionStorage.getItem("entity"); return e && state.session.user.role === "MANAGER" ? `&entity_id=${e}` : ""; }
function entityBody() { const e = sessionStorage.getItem("entity"); return e && state.session.user.role === "MANAGER" ? { entity_id: e } : {}; }

async function route() {
  say("");
  const [name, query] = (location.hash.slice(2) || "dashboard").split("?");
  const params = new URLSearchParams(query || "");
  if (name === "entity") sessionStorage.setItem("entity", params.get("id"));
  const view = views[name] || views.dashboard;
  if (!state.session && !["login", "set-password"].includes(name)) { location.hash = "#/login"; return; }
  try { await view(params); main.focus(); } catch (err) { say(err.message); }
}

document.getElementById("logout").addEventListener("click", async () => {
  try { await api("POST", "/api/v1/auth/logout", { refresh_token: state.session.refresh_token }); } catch { /* already gone */ }
  saveSession(null); location.hash = "#/login";
});

// The set-password e-mail links to /set-password?token=...: turn it into the hash route.
if (location.pathname === "/set-password") { history.replaceState(null, "", "/#/set-password" + location.search); }
const config = await fetch("/config.json").then((r) => r.json()).catch(() => ({}));
state.apiUrl = (config.apiUrl || "").replace(/\/$/, "");
saveSession(state.session);
window.addEventListener("hashchange", route);
route();
