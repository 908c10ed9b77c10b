// drafter's page: draft mode, coach mode and "My drafts" over the public HTTP API (/v1/drafts,
// /v1/score, the kept drafts under /v1/drafts/{id}; /v1/info tells whether the server needs
// an API key). The sender's fields are remembered in localStorage (named profiles).
// Model output and the recipient's work are untrusted: every piece of text goes into the page
// through textContent or text nodes, never parsed as markup.
"use strict";

(function () {
  const MAX_WORKS = 5;
  const SCORE_DEBOUNCE_MS = 300;

  // ---------------------------------------------------------------- small DOM helpers

  const $ = (id) => document.getElementById(id);

  /** Create an element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** Characters as Python counts them (code points), so counts and offsets match the API. */
  function codePoints(text) {
    return Array.from(text);
  }

  function countWords(text) {
    const words = text.trim().split(/\s+/u).filter(Boolean);
    return words.length;
  }

  function humanize(name) {
    const s = String(name).replace(/[_.]+/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  const VERDICT_LABEL = { pass: "Pass", weak: "Weak", fail: "Fail" };
  const OVERALL_LABEL = {
    acceptable: "Acceptable",
    entitled: "Asks too much",
    needs_work: "Needs work",
  };

  // ---------------------------------------------------------------- the API key

  // When the server has API keys, every /v1 call sends X-API-Key. The key is typed into the
  // page and kept in sessionStorage: this tab only, gone when it closes, never in a cookie.
  const KEY_STORAGE = "drafter.apiKey";
  const keyBox = $("api-key-box");
  const keyInput = $("api-key");

  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || "";
    } catch (_) {
      return "";
    }
  }

  function storeKey(value) {
    try {
      if (value) sessionStorage.setItem(KEY_STORAGE, value);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch (_) {
      // Storage may be off (private mode): the key then lives in the field only.
    }
  }

  function currentKey() {
    return keyInput.value.trim() || storedKey();
  }

  function apiHeaders(extra) {
    const headers = Object.assign({ Accept: "application/json" }, extra || {});
    const key = currentKey();
    if (key) headers["X-API-Key"] = key;
    return headers;
  }

  /** Show the key field, e.g. after a 401; focus it when asked. */
  function askForKey(focus) {
    keyBox.hidden = false;
    if (focus) keyInput.focus();
  }

  keyInput.value = storedKey();
  keyInput.addEventListener("change", () => storeKey(keyInput.value.trim()));
  $("api-key-forget").addEventListener("click", () => {
    keyInput.value = "";
    storeKey("");
    keyInput.focus();
  });

  /** Ask the server whether it needs a key (GET /v1/info); show the field if it does. */
  async function checkKeyNeeded() {
    try {
      const response = await fetch("/v1/info", { headers: apiHeaders() });
      if (response.status === 401) {
        askForKey(false);
        return;
      }
      if (response.ok) {
        const info = await response.json();
        if (info && info.api_keys_required) askForKey(false);
      }
    } catch (_) {
      // Offline or stopped: the first real request says so.
    }
  }

  checkKeyNeeded();

  // ---------------------------------------------------------------- the HTTP API

  class ApiError extends Error {
    constructor(message, problem, status) {
      super(message);
      this.problem = problem;
      this.status = status;
    }
  }

  /** POST JSON; resolve with the parsed body or reject with an ApiError that reads well. */
  function postJson(path, body, signal) {
    return requestJson("POST", path, body, signal);
  }

  /**
   * Call the API with `method` (a body is sent as JSON); resolve with the parsed body (null
   * for 204 No Content) or reject with an ApiError that reads well. `quiet401`: a 401 does
   * not move the focus to the key field (for requests the user did not start).
   */
  async function requestJson(method, path, body, signal, quiet401) {
    let response;
    const init = { method, headers: apiHeaders(), signal };
    if (body !== undefined) {
      init.headers = apiHeaders({ "Content-Type": "application/json" });
      init.body = JSON.stringify(body);
    }
    try {
      response = await fetch(path, init);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError(
        "Could not reach drafter. Check that the server is still running " +
          "(drafter serve) and that you are online, then try again.",
        null,
        0,
      );
    }
    let data = null;
    const text = await response.text();
    try {
      data = text ? JSON.parse(text) : null;
    } catch (_) {
      data = null;
    }
    if (response.status === 204) return null;
    if (response.ok) {
      if (data === null) {
        throw new ApiError("drafter answered with something that is not JSON.", null, response.status);
      }
      return data;
    }
    throw problemError(response.status, data, response.headers.get("Retry-After"), quiet401);
  }

  /** The ApiError for a problem document (or for an error answer that is not one).
   * `quiet401`: a 401 does not move the focus to the key field (a list loading in the
   * background). */
  function problemError(status, data, retry, quiet401) {
    if (status === 401) askForKey(!quiet401);
    if (data && typeof data === "object" && typeof data.detail === "string") {
      let message = data.detail;
      if (status === 401) message += " Type it into the API key field at the top.";
      if (status === 429 && retry) message += ` Try again in ${retry} seconds.`;
      return new ApiError(message, data, status);
    }
    return new ApiError(
      `drafter answered with an error (HTTP ${status}). Try again in a moment.`,
      null,
      status,
    );
  }

  /** One server-sent event ("event: x\ndata: {...}") as { name, data }, or null. */
  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue; // a keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const rest = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = rest;
      else if (field === "data") data.push(rest);
    }
    if (!data.length) return null;
    try {
      return { name, data: JSON.parse(data.join("\n")) };
    } catch (_) {
      return null;
    }
  }

  /**
   * POST JSON to a streaming route (server-sent events): call `onStage(data)` for each stage
   * as drafter starts it, resolve with the `result` event's data, reject with an ApiError for
   * a `problem` event or an error answered before the stream began.
   */
  async function postStream(path, body, onStage) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: apiHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(body),
      });
    } catch (_) {
      throw new ApiError(
        "Could not reach drafter. Check that the server is still running " +
          "(drafter serve) and that you are online, then try again.",
        null,
        0,
      );
    }
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("text/event-stream") || !response.body) {
      const text = await response.text();
      let data = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch (_) {
        data = null;
      }
      if (response.ok) {
        throw new ApiError("drafter answered with something that is not a draft.", null, response.status);
      }
      throw problemError(response.status, data, response.headers.get("Retry-After"));
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (_) {
        break; // the connection was lost: said below
      }
      if (chunk.done) break;
      buffer += chunk.value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!event) continue;
        if (event.name === "stage") onStage(event.data);
        else if (event.name === "result") return event.data;
        else if (event.name === "problem") throw problemError(event.data.status, event.data, null);
      }
    }
    throw new ApiError(
      "The connection to drafter ended before the draft was ready. Try again.",
      null,
      0,
    );
  }

  // ---------------------------------------------------------------- errors near the form

  /**
   * Show an API error in `box` and beside the fields it names. `fieldFor(name)` maps an API
   * field ("recipient.works[0].text") to { input, error, label } or null.
   */
  function showError(box, err, fieldFor, form, focusField) {
    clearErrors(box, form);
    const problem = err instanceof ApiError ? err.problem : null;
    const title = problem && problem.title ? problem.title : "Something went wrong";
    box.append(el("p", { class: "error-title" }, el("strong", { text: title })));
    box.append(el("p", { class: "error-detail", text: err.message || String(err) }));
    let errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
    if (!errors.length && problem && typeof problem.detail === "string") {
      // Some errors name their field only in the detail: "recipient.works[0].url: ...".
      const m = /^([a-z_]+(?:\.[a-z_]+|\[\d+\])+):?\s+(.+)$/s.exec(problem.detail);
      if (m && fieldFor(m[1])) errors = [{ field: m[1], message: m[2] }];
    }
    if (errors.length) {
      const list = el("ul", { class: "error-list" });
      let firstInput = null;
      for (const fe of errors) {
        const target = fieldFor(String(fe.field || ""));
        const label = target && target.label ? target.label : humanize(fe.field || "request");
        list.append(el("li", {}, el("strong", { text: label + ": " }), String(fe.message || "")));
        if (target && target.error) {
          target.error.textContent = String(fe.message || "");
          target.error.hidden = false;
        }
        if (target && target.input) {
          target.input.setAttribute("aria-invalid", "true");
          if (target.error && target.error.id) addDescribedBy(target.input, target.error.id);
          if (!firstInput) firstInput = target.input;
        }
      }
      box.append(list);
      if (firstInput) {
        box.append(el("p", { class: "hint", text: "The fields at fault are marked below them." }));
        if (focusField) firstInput.focus();
      }
    }
    if (problem && problem.request_id) {
      box.append(el("p", { class: "request-id", text: `Request id: ${problem.request_id}` }));
    }
    box.hidden = false;
  }

  function clearErrors(box, form) {
    clear(box);
    box.hidden = true;
    for (const node of form.querySelectorAll(".field-error")) {
      node.textContent = "";
      node.hidden = true;
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
    }
  }

  function addDescribedBy(input, id) {
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.includes(id)) ids.push(id);
    input.setAttribute("aria-describedby", ids.join(" "));
  }

  function labelText(input) {
    const label = input && input.labels && input.labels[0];
    return label ? label.textContent.replace(/\*/g, "").trim() : null;
  }

  function target(input) {
    if (!input) return null;
    const error = $(input.id + "-error") ||
      (input.closest(".field") && input.closest(".field").querySelector(".field-error"));
    return { input, error, label: labelText(input) };
  }

  // ---------------------------------------------------------------- tabs (modes)

  const tabs = [$("tab-draft"), $("tab-coach"), $("tab-history")];
  // Each tab's address, so a reload (or a link) opens the same one.
  const TAB_HASH = { "tab-draft": "#draft", "tab-coach": "#coach", "tab-history": "#history" };
  const tabListeners = [];

  function selectTab(tab, focus) {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    const hash = TAB_HASH[tab.id];
    if (location.hash !== hash) history.replaceState(null, "", hash);
    for (const listener of tabListeners) listener(tab.id);
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, true);
      }
    });
  }
  function tabFromHash() {
    for (const [id, hash] of Object.entries(TAB_HASH)) {
      if (location.hash === hash) selectTab($(id), false);
    }
  }
  window.addEventListener("hashchange", tabFromHash);

  // ---------------------------------------------------------------- copy to the clipboard

  /** Copy `text`; fall back to a selected textarea and execCommand when the API is missing. */
  async function copyText(text, textarea) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return "copied";
      } catch (_) {
        // fall through to the fallback
      }
    }
    const area = textarea || el("textarea", { class: "offscreen", readonly: true });
    if (!textarea) {
      area.value = text;
      document.body.append(area);
    }
    area.focus();
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    if (!textarea) area.remove();
    return ok ? "copied" : "selected";
  }

  // ---------------------------------------------------------------- draft mode: works

  const worksBox = $("works");
  const addWorkButton = $("add-work");
  let workSerial = 0;

  function addWork() {
    const fragment = $("work-template").content.cloneNode(true);
    const work = fragment.querySelector(".work");
    const serial = workSerial++;
    for (const input of work.querySelectorAll("[data-key]")) {
      const key = input.getAttribute("data-key");
      input.id = `work-${serial}-${key}`;
      const label = work.querySelector(`label[data-for="${key}"]`);
      label.setAttribute("for", input.id);
      const error = work.querySelector(`[data-error="${key}"]`);
      error.id = `${input.id}-error`;
    }
    work.querySelector(".remove-work").addEventListener("click", () => {
      work.remove();
      renumberWorks();
      const first = worksBox.querySelector("textarea");
      if (first) first.focus();
    });
    worksBox.append(work);
    renumberWorks();
    return work;
  }

  function renumberWorks() {
    const works = Array.from(worksBox.querySelectorAll(".work"));
    works.forEach((work, i) => {
      const heading = work.querySelector(".work-heading");
      heading.textContent = `Work ${i + 1}`;
      heading.id = `work-heading-${i}`;
      work.setAttribute("aria-labelledby", heading.id);
      for (const label of work.querySelectorAll("label")) {
        const base = label.getAttribute("data-base") || label.textContent;
        label.setAttribute("data-base", base);
        clear(label);
        label.append(base, el("span", { class: "sr-only", text: ` (work ${i + 1})` }));
      }
      const remove = work.querySelector(".remove-work");
      remove.hidden = works.length === 1;
      remove.textContent = `Remove work ${i + 1}`;
    });
    addWorkButton.hidden = works.length >= MAX_WORKS;
  }

  addWorkButton.addEventListener("click", () => {
    const work = addWork();
    work.querySelector("textarea").focus();
  });
  addWork();

  // ---------------------------------------------------------------- draft mode: the form

  const draftForm = $("draft-form");
  const draftButton = $("draft-button");
  const draftError = $("draft-error");
  const draftStatus = $("draft-status");
  const progress = $("draft-progress");
  const elapsed = $("draft-elapsed");
  const stageLabel = $("draft-stage");

  /** "reading their work and your goal" -> "Reading their work and your goal…" */
  function stageText(message) {
    return message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}…` : "Drafting…";
  }

  function syncFreeAccount(select, field) {
    field.hidden = select.value !== "linkedin_note";
  }
  $("channel").addEventListener("change", () => syncFreeAccount($("channel"), $("free-account-field")));
  $("c-channel").addEventListener("change", () => syncFreeAccount($("c-channel"), $("c-free-account-field")));

  function value(id) {
    return $(id).value.trim();
  }

  function buildDraftRequest() {
    const works = Array.from(worksBox.querySelectorAll(".work")).map((work) => {
      const get = (key) => work.querySelector(`[data-key="${key}"]`).value.trim();
      const item = {};
      if (get("title")) item.title = get("title");
      if (get("text") || !get("url")) item.text = get("text");
      if (get("url")) item.url = get("url");
      return item;
    });
    const request = {
      recipient: { name: value("r-name"), works },
      sender: { name: value("s-name"), about: value("s-about") },
      goal: value("goal"),
      channel: $("channel").value,
      variants: Number($("variants").value),
    };
    if (value("r-headline")) request.recipient.headline = value("r-headline");
    if (value("s-offer")) request.sender.offer = value("s-offer");
    if ($("tone").value) request.tone = $("tone").value;
    if (request.channel === "linkedin_note" && $("free-account").checked) {
      request.linkedin_free_account = true;
    }
    if (chosenStep !== null) request.first_step = chosenStep;
    return request;
  }

  // The rung of the ladder the user picked for an entitled goal (null: drafter's first).
  let chosenStep = null;
  // A new goal starts from drafter's own first step again.
  $("goal").addEventListener("input", () => { chosenStep = null; });

  const DRAFT_FIELDS = {
    "recipient.name": "r-name",
    "recipient.headline": "r-headline",
    "sender.name": "s-name",
    "sender.about": "s-about",
    "sender.offer": "s-offer",
    sender: "s-name",
    recipient: "r-name",
    goal: "goal",
    channel: "channel",
    tone: "tone",
    variants: "variants",
    linkedin_free_account: "channel",
  };

  function draftFieldFor(field) {
    const m = /^recipient\.works(?:\[(\d+)\])?(?:\.(\w+))?$/.exec(field);
    if (m) {
      const works = worksBox.querySelectorAll(".work");
      if (m[1] === undefined) {
        return { input: works[0] && works[0].querySelector("textarea"), error: $("works-error"),
                 label: "Their public work" };
      }
      const work = works[Number(m[1])];
      if (!work) return null;
      const key = ["title", "text", "url"].includes(m[2]) ? m[2] : "text";
      const input = work.querySelector(`[data-key="${key}"]`);
      const base = work.querySelector(`label[for="${input.id}"]`).getAttribute("data-base");
      return { input, error: $(`${input.id}-error`), label: `Work ${Number(m[1]) + 1}, ${base.toLowerCase()}` };
    }
    const id = DRAFT_FIELDS[field];
    return id ? target($(id)) : null;
  }

  // ---------------------------------------------------------------- the sender's profiles

  // The sender fields (name, one line, offer) are remembered in this browser's localStorage,
  // under named profiles, while "Remember" is ticked; nothing else the page handles is: not
  // the recipient, the work, the goal, the drafts, or the API key (sessionStorage, above).
  // "Forget me" removes them and leaves only the choice not to remember.
  const PROFILES_STORAGE = "drafter.profiles";
  const REMEMBER_STORAGE = "drafter.remember";
  const SENDER_FIELDS = { name: "s-name", about: "s-about", offer: "s-offer" };
  const DEFAULT_PROFILE = "default";
  const MAX_PROFILES = 20;
  const profileSelect = $("profile");
  const rememberBox = $("remember");
  const rememberStatus = $("remember-status");
  // Profile names are the user's own words: a prototype-less map, so "toString" or
  // "__proto__" is a name like any other.
  function freshProfiles() {
    const fresh = Object.create(null);
    fresh[DEFAULT_PROFILE] = { name: "", about: "", offer: "" };
    return fresh;
  }
  let profiles = freshProfiles();
  let currentProfile = DEFAULT_PROFILE;

  function readLocal(key) {
    try {
      return localStorage.getItem(key);
    } catch (_) {
      return null; // storage off (private mode, a policy): nothing is remembered
    }
  }

  function writeLocal(key, text) {
    try {
      if (text === null) localStorage.removeItem(key);
      else localStorage.setItem(key, text);
    } catch (_) {
      // storage off or full: the fields still work, they are just not remembered
    }
  }

  /** The stored profiles, kept only where they have the expected shape (strings, capped). */
  function loadProfiles() {
    let stored = null;
    try {
      stored = JSON.parse(readLocal(PROFILES_STORAGE) || "null");
    } catch (_) {
      stored = null;
    }
    if (!stored || typeof stored !== "object" || typeof stored.profiles !== "object" ||
        stored.profiles === null) return;
    const loaded = Object.create(null);
    for (const [name, fields] of Object.entries(stored.profiles).slice(0, MAX_PROFILES)) {
      if (!fields || typeof fields !== "object") continue;
      const clean = {};
      for (const [key, id] of Object.entries(SENDER_FIELDS)) {
        const text = typeof fields[key] === "string" ? fields[key] : "";
        clean[key] = text.slice(0, Number($(id).maxLength) || 300);
      }
      loaded[String(name).slice(0, 40)] = clean;
    }
    if (!Object.keys(loaded).length) return;
    profiles = loaded;
    currentProfile = typeof stored.current === "string" && Object.hasOwn(loaded, stored.current)
      ? stored.current : Object.keys(loaded)[0];
  }

  function persistProfiles() {
    if (!rememberBox.checked) return;
    writeLocal(PROFILES_STORAGE, JSON.stringify({ version: 1, current: currentProfile, profiles }));
  }

  function fillSenderFields() {
    const fields = profiles[currentProfile];
    for (const [key, id] of Object.entries(SENDER_FIELDS)) $(id).value = fields[key] || "";
  }

  function profileLabel(name) {
    return name === DEFAULT_PROFILE ? "Default" : name;
  }

  function renderProfiles() {
    clear(profileSelect);
    for (const name of Object.keys(profiles)) {
      const option = el("option", { value: name, text: profileLabel(name) });
      option.selected = name === currentProfile;
      profileSelect.append(option);
    }
    $("profile-remove").hidden = Object.keys(profiles).length < 2;
  }

  /** The sender fields as typed, into the current profile (and storage, when remembering). */
  function saveProfile() {
    const fields = {};
    for (const [key, id] of Object.entries(SENDER_FIELDS)) fields[key] = $(id).value;
    profiles[currentProfile] = fields;
    persistProfiles();
  }

  function say(text) {
    rememberStatus.textContent = text;
  }

  for (const id of Object.values(SENDER_FIELDS)) $(id).addEventListener("input", saveProfile);

  profileSelect.addEventListener("change", () => {
    saveProfile();
    currentProfile = profileSelect.value;
    fillSenderFields();
    persistProfiles();
    say(`Using the profile “${profileLabel(currentProfile)}”.`);
  });

  $("profile-add").addEventListener("click", () => {
    const input = $("profile-new");
    const name = input.value.trim();
    if (!name) {
      say("Type the new profile's name first.");
      input.focus();
      return;
    }
    saveProfile();
    if (!Object.hasOwn(profiles, name)) {
      if (Object.keys(profiles).length >= MAX_PROFILES) {
        say(`This browser keeps at most ${MAX_PROFILES} profiles: remove one first.`);
        return;
      }
      profiles[name] = { name: "", about: "", offer: "" };
    }
    currentProfile = name;
    input.value = "";
    renderProfiles();
    fillSenderFields();
    persistProfiles();
    say(`Using the profile “${profileLabel(name)}”: type who you are in it.`);
    $("s-name").focus();
  });

  $("profile-remove").addEventListener("click", () => {
    const removed = currentProfile;
    delete profiles[removed];
    currentProfile = Object.keys(profiles)[0];
    renderProfiles();
    fillSenderFields();
    persistProfiles();
    say(`Removed the profile “${profileLabel(removed)}”; using “${profileLabel(currentProfile)}”.`);
    profileSelect.focus();
  });

  rememberBox.addEventListener("change", () => {
    if (rememberBox.checked) {
      writeLocal(REMEMBER_STORAGE, null);
      saveProfile();
      say("Your name, line and offer are remembered on this browser.");
    } else {
      writeLocal(PROFILES_STORAGE, null);
      writeLocal(REMEMBER_STORAGE, "off");
      say("Not remembered: this browser keeps nothing of yours.");
    }
  });

  $("forget-me").addEventListener("click", () => {
    writeLocal(PROFILES_STORAGE, null);
    writeLocal(REMEMBER_STORAGE, "off");
    rememberBox.checked = false;
    profiles = freshProfiles();
    currentProfile = DEFAULT_PROFILE;
    renderProfiles();
    fillSenderFields();
    say("Forgotten: this browser keeps nothing of yours now. Tick “Remember” to keep your " +
        "name, line and offer again.");
  });

  if (readLocal(REMEMBER_STORAGE) === "off") {
    rememberBox.checked = false;
  } else {
    loadProfiles();
    fillSenderFields();
  }
  renderProfiles();

  let drafting = false;

  draftForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (drafting) return;
    drafting = true;
    clearErrors(draftError, draftForm);
    draftButton.disabled = true;
    draftButton.textContent = "Drafting…";
    draftForm.setAttribute("aria-busy", "true");
    const started = Date.now();
    elapsed.textContent = "0";
    stageLabel.textContent = stageText("");
    progress.hidden = false;
    draftStatus.textContent = "Drafting. This can take 10 to 30 seconds.";
    const timer = setInterval(() => {
      elapsed.textContent = String(Math.round((Date.now() - started) / 1000));
    }, 250);
    try {
      // The streaming route: each stage is shown as drafter starts it, the drafts as soon
      // as they exist (the same result as POST /v1/drafts).
      const result = await postStream("/v1/drafts/stream", buildDraftRequest(), (stage) => {
        if (stage && typeof stage.message === "string") stageLabel.textContent = stageText(stage.message);
      });
      renderDraftResult(result);
      const n = result.drafts.length;
      draftStatus.textContent = `${n} draft${n === 1 ? "" : "s"} ready.`;
    } catch (err) {
      showError(draftError, err, draftFieldFor, draftForm, true);
      draftStatus.textContent = "Drafting failed.";
    } finally {
      clearInterval(timer);
      progress.hidden = true;
      draftButton.disabled = false;
      draftButton.textContent = "Draft";
      draftForm.removeAttribute("aria-busy");
      drafting = false;
    }
  });

  // ---------------------------------------------------------------- draft mode: results

  function renderPlan(card, assessment) {
    const plan = assessment.plan;
    if (!plan) return;
    card.append(el("p", { class: "label", text: "What drafter understood (rephrase your goal if this is wrong):" }));
    const dl = el("dl", { class: "plan" });
    dl.append(el("dt", { text: "You give" }), el("dd", { text: plan.give || "nothing named" }));
    dl.append(el("dt", { text: "You ask" }), el("dd", {
      text: plan.ask || (assessment.classification === "entitled" || plan.give
        ? "nothing" : "a question about their work, proposed by the model") }));
    if (plan.why) dl.append(el("dt", { text: "Because" }), el("dd", { text: plan.why }));
    card.append(dl);
    for (const note of plan.notes || []) card.append(el("p", { class: "plan-note", text: note }));
  }

  function renderSteps(card, assessment) {
    const steps = assessment.first_steps || [];
    if (!steps.length) return;
    card.append(el("p", { class: "label",
                          text: `Smaller first steps toward ${steps[0].toward} (pick one to redraft):` }));
    const list = el("div", { class: "first-steps", role: "group", "aria-label": "First steps" });
    steps.forEach((step, i) => {
      const chosen = i === assessment.chosen_step;
      const button = el("button", { type: "button", class: `step${chosen ? " chosen" : ""}`,
                                    "aria-pressed": chosen ? "true" : "false",
                                    "data-step": String(i) },
                        step.step + (step.ask ? ` — “${step.ask}”` : " — no question"));
      button.addEventListener("click", () => {
        chosenStep = i;
        draftForm.requestSubmit();
      });
      list.append(button);
    });
    card.append(list);
  }

  function renderOfferIdeas(card, assessment) {
    const ideas = assessment.offer_ideas || [];
    if (!ideas.length) return;
    card.append(el("p", { class: "label",
                          text: "You named nothing to give first, and drafter never invents an offer. Offers that fit this work (pick one that is true for you):" }));
    const list = el("div", { class: "offer-ideas", role: "group", "aria-label": "Offer ideas" });
    for (const idea of ideas) {
      const button = el("button", { type: "button", class: "offer-idea" }, idea);
      button.addEventListener("click", () => {
        $("s-offer").value = idea;
        saveProfile();
        $("s-offer").focus();
      });
      list.append(button);
    }
    card.append(list);
  }

  function renderAssessment(assessment) {
    const box = $("assessment");
    clear(box);
    if (!assessment) return;
    const entitled = assessment.classification === "entitled";
    const unclear = assessment.classification === "unclear";
    const heading = entitled
      ? "Your goal asks a lot of a stranger"
      : unclear ? "Your goal is unclear" : "Your goal";
    const card = el("section", { class: `assessment ${entitled ? "entitled" : "note"}`,
                                 "aria-labelledby": "assessment-heading" });
    card.append(el("h3", { id: "assessment-heading", text: heading }));
    if ((entitled || unclear) && assessment.reasons && assessment.reasons.length) {
      card.append(el("p", { class: "label", text: entitled ? "Why:" : "Reasons:" }));
      const list = el("ul", { class: "reasons" });
      for (const reason of assessment.reasons) list.append(el("li", { text: reason }));
      card.append(list);
    }
    if (assessment.overlap_note) {
      card.append(el("p", { class: "overlap-note", text: assessment.overlap_note }));
    }
    renderSteps(card, assessment);
    renderPlan(card, assessment);
    renderOfferIdeas(card, assessment);
    box.append(card);
  }

  function renderDraftResult(result) {
    renderAssessment(result.assessment);
    const warnings = $("draft-warnings");
    clear(warnings);
    if (result.warnings && result.warnings.length) {
      const list = el("ul", { class: "warnings" });
      for (const w of result.warnings) list.append(el("li", { text: w }));
      warnings.append(el("p", { class: "label", text: "Warnings:" }), list);
    }
    const drafts = $("drafts");
    clear(drafts);
    result.drafts.forEach((draft, i) => drafts.append(renderDraft(draft, i, result.drafts.length)));
    $("draft-results").hidden = false;
    const first = (result.assessment.classification === "entitled"
      ? $("assessment").querySelector("h3") : null) || drafts.querySelector("h3");
    if (first) {
      first.tabIndex = -1;
      first.focus({ preventScroll: false });
    }
  }

  function counterText(body, limit) {
    const chars = codePoints(body).length;
    const words = countWords(body);
    const over = limit && chars > limit;
    const text = `${chars} / ${limit} characters · ${words} word${words === 1 ? "" : "s"}` +
      (over ? ` · ${chars - limit} over the limit` : "");
    return { text, over };
  }

  function renderDraft(draft, index, total) {
    const n = index + 1;
    const prefix = `draft-${n}`;
    const card = el("article", { class: "draft", "aria-labelledby": `${prefix}-heading` });
    const status = draft.passed
      ? el("span", { class: "badge pass", text: "All checks passed" })
      : el("span", { class: "badge fail", text: "Some checks failed" });
    card.append(el("header", { class: "draft-head" },
      el("h3", { id: `${prefix}-heading`, text: total > 1 ? `Draft ${n}` : "Your draft" }), status));

    if (draft.subject !== null && draft.subject !== undefined) {
      const subject = el("input", { id: `${prefix}-subject`, class: "subject" });
      subject.value = draft.subject;
      card.append(el("div", { class: "field" },
        el("label", { for: subject.id, text: "Subject" }), subject));
    }

    const body = el("textarea", { id: `${prefix}-body`, class: "body",
                                  "aria-describedby": `${prefix}-count` });
    body.value = draft.body;
    // Tall enough to show the whole draft, sign-off included, without scrolling inside it.
    body.rows = Math.min(40, Math.max(8, draft.body.split("\n")
      .reduce((n, line) => n + 1 + Math.floor(codePoints(line).length / 48), 1)));
    const limit = draft.score && draft.score.limits ? draft.score.limits.max_characters : null;
    const count = el("p", { id: `${prefix}-count`, class: "counter" });
    const update = () => {
      const c = counterText(body.value, limit);
      count.textContent = c.text;
      count.classList.toggle("over", Boolean(c.over));
      body.classList.toggle("over", Boolean(c.over));
    };
    body.addEventListener("input", update);
    update();
    card.append(el("div", { class: "field" },
      el("label", { for: body.id, text: "Message (you can edit it)" }), body, count));

    const copyStatus = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
    const copy = el("button", { type: "button", class: "secondary copy", text: "Copy message" });
    copy.addEventListener("click", async () => {
      const outcome = await copyText(body.value, body);
      copyStatus.textContent = outcome === "copied"
        ? "Copied to the clipboard."
        : "Selected: press Ctrl+C (or ⌘C) to copy.";
    });
    const coach = el("button", { type: "button", class: "secondary", text: "Open in coach" });
    coach.addEventListener("click", () => {
      $("c-message").value = body.value;
      $("c-subject").value = draft.subject || "";
      $("c-channel").value = draft.score && draft.score.limits ? draft.score.limits.channel : "email";
      syncFreeAccount($("c-channel"), $("c-free-account-field"));
      $("c-sender").value = value("s-name");
      $("c-recipient").value = value("r-name");
      // The rubric reads a work's title as part of it ("your post 'Faster groupby'").
      $("c-work").value = Array.from(worksBox.querySelectorAll(".work")).map((w) => {
        const title = w.querySelector('[data-key="title"]').value.trim();
        const text = w.querySelector('[data-key="text"]').value.trim();
        return title && text ? `${title}\n${text}` : text;
      }).filter(Boolean).join("\n\n").slice(0, 20000);
      selectTab($("tab-coach"), false);
      $("c-message").focus();
      scoreNow();
    });
    card.append(el("div", { class: "actions" }, copy, coach, copyStatus));

    if (draft.offer || draft.ask) {
      const dl = el("dl", { class: "offer-ask" });
      if (draft.offer) dl.append(el("dt", { text: "Offer" }), el("dd", { text: draft.offer }));
      if (draft.ask) dl.append(el("dt", { text: "Ask" }), el("dd", { text: draft.ask }));
      card.append(dl);
    }

    const refs = el("section", { class: "references", "aria-labelledby": `${prefix}-refs` });
    refs.append(el("h4", { id: `${prefix}-refs`, text: "References" }));
    if (draft.references && draft.references.length) {
      const list = el("ul");
      for (const ref of draft.references) {
        const source = ref.work_title ? `“${ref.work_title}”` : `work ${ref.work_index + 1}`;
        list.append(el("li", {},
          el("blockquote", { class: "quote", text: ref.quote }),
          el("p", { class: "source", text: `From ${source} (work ${ref.work_index + 1}), ` +
            `characters ${ref.start}–${ref.end}` })));
      }
      refs.append(list);
    } else {
      refs.append(el("p", { class: "hint", text: "This draft quotes nothing from their work." }));
    }
    card.append(refs);

    const checks = el("section", { class: "checks", "aria-labelledby": `${prefix}-checks` });
    checks.append(el("h4", { id: `${prefix}-checks`, text: "Checks" }));
    const checkList = el("ul");
    for (const check of draft.checks || []) {
      checkList.append(el("li", { class: check.passed ? "ok" : "bad" },
        el("span", { class: "mark-icon", "aria-hidden": "true", text: check.passed ? "✓" : "✗" }),
        el("span", { class: "sr-only", text: check.passed ? "Passed: " : "Failed: " }),
        el("span", { class: "check-name", text: humanize(check.name) }),
        check.detail ? el("span", { class: "check-detail", text: ` — ${check.detail}` }) : null));
    }
    checks.append(checkList);
    card.append(checks);

    if (draft.score) card.append(renderScoreSummary(draft.score, prefix));
    return card;
  }

  function renderScoreSummary(score, prefix) {
    const box = el("section", { class: "score", "aria-labelledby": `${prefix}-score` });
    box.append(el("h4", { id: `${prefix}-score`, text: "Score card" }));
    box.append(overallLine(score));
    const list = el("ul", { class: "dimensions" });
    for (const dim of score.dimensions || []) {
      list.append(el("li", { class: `verdict-${dim.verdict}` },
        el("span", { class: `badge ${dim.verdict}`, text: VERDICT_LABEL[dim.verdict] || dim.verdict }),
        " ", humanize(dim.dimension),
        dim.fix ? el("span", { class: "dim-fix", text: ` — ${dim.fix}` }) : null));
    }
    box.append(list);
    return box;
  }

  function overallLine(score) {
    return el("p", { class: `overall overall-${score.overall}` },
      el("span", { class: `badge ${score.overall === "acceptable" ? "pass" : "fail"}`,
                   text: OVERALL_LABEL[score.overall] || score.overall }),
      " ", score.summary || "");
  }

  // ---------------------------------------------------------------- coach mode

  const coachForm = $("coach-form");
  const coachError = $("coach-error");
  const coachBusy = $("coach-busy");
  const coachMessage = $("c-message");
  const coachCounter = $("c-counter");
  let scoreTimer = null;
  let scoreSerial = 0;
  let scoreController = null;
  let coachLimit = null;

  const COACH_FIELDS = {
    message: "c-message",
    subject: "c-subject",
    channel: "c-channel",
    linkedin_free_account: "c-channel",
    sender_name: "c-sender",
    recipient_name: "c-recipient",
  };

  function coachFieldFor(field) {
    if (/^works/.test(field)) return target($("c-work"));
    const id = COACH_FIELDS[field];
    return id ? target($(id)) : null;
  }

  function buildScoreRequest() {
    const request = { message: coachMessage.value, channel: $("c-channel").value };
    if (value("c-subject")) request.subject = value("c-subject");
    if (value("c-work")) request.works = [value("c-work")];
    if (value("c-sender")) request.sender_name = value("c-sender");
    if (value("c-recipient")) request.recipient_name = value("c-recipient");
    if (request.channel === "linkedin_note" && $("c-free-account").checked) {
      request.linkedin_free_account = true;
    }
    return request;
  }

  function updateCoachCounter(limit) {
    const text = coachMessage.value;
    if (!text) {
      coachCounter.textContent = "";
      return;
    }
    const chars = codePoints(text.trim()).length;
    const words = countWords(text);
    coachCounter.textContent = limit
      ? counterText(text.trim(), limit).text
      : `${chars} characters · ${words} word${words === 1 ? "" : "s"}`;
    coachCounter.classList.toggle("over", Boolean(limit && chars > limit));
  }

  async function scoreNow() {
    clearTimeout(scoreTimer);
    if (!coachMessage.value.trim()) {
      clearErrors(coachError, coachForm);
      $("coach-results").hidden = true;
      updateCoachCounter(null);
      return;
    }
    const serial = ++scoreSerial;
    if (scoreController) scoreController.abort();
    scoreController = new AbortController();
    const request = buildScoreRequest();
    coachBusy.hidden = false;
    try {
      const card = await postJson("/v1/score", request, scoreController.signal);
      if (serial !== scoreSerial) return;
      clearErrors(coachError, coachForm);
      renderScoreCard(card, request.message);
    } catch (err) {
      if (err && err.name === "AbortError") return;
      if (serial !== scoreSerial) return;
      showError(coachError, err, coachFieldFor, coachForm);
    } finally {
      if (serial === scoreSerial) coachBusy.hidden = true;
    }
  }

  function scheduleScore() {
    clearTimeout(scoreTimer);
    scoreTimer = setTimeout(scoreNow, SCORE_DEBOUNCE_MS);
  }

  coachForm.addEventListener("submit", (event) => {
    event.preventDefault();
    scoreNow();
  });
  coachForm.addEventListener("input", () => {
    updateCoachCounter(coachLimit);
    scheduleScore();
  });
  coachForm.addEventListener("change", scheduleScore);

  /**
   * Findings with their spans located in `text` (the text that was scored). Offsets are code
   * points into the message as the API saw it (leading and trailing space stripped); a span
   * whose text does not match is looked up by its words instead.
   */
  function locateSpans(findings, text) {
    const stripped = text.trim();
    const lead = codePoints(text).length - codePoints(text.trimStart()).length;
    const chars = codePoints(text);
    const located = [];
    findings.forEach((finding, fi) => {
      for (const span of finding.spans || []) {
        let start = span.start + lead;
        let end = span.end + lead;
        if (chars.slice(start, end).join("") !== span.text) {
          const at = stripped.indexOf(span.text);
          if (at < 0 || !span.text) continue;
          start = codePoints(text.slice(0, text.indexOf(stripped) + at)).length;
          end = start + codePoints(span.text).length;
        }
        located.push({ start, end, finding: fi, verdict: finding.verdict });
      }
    });
    return located;
  }

  /** The message as text nodes with <mark> around every character range that has findings. */
  function markedMessage(text, findings) {
    const chars = codePoints(text);
    const spans = locateSpans(findings, text);
    const bounds = new Set([0, chars.length]);
    for (const s of spans) {
      bounds.add(s.start);
      bounds.add(s.end);
    }
    const points = Array.from(bounds).sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) {
        fragment.append(document.createTextNode(piece));
        continue;
      }
      const ids = Array.from(new Set(covering.map((s) => s.finding + 1)));
      const worst = covering.some((s) => s.verdict === "fail") ? "fail" : "weak";
      const mark = el("mark", { class: `hl hl-${worst}`, "data-findings": ids.join(" ") }, piece);
      const endsHere = !spans.some((s) => s.start <= a && s.end > b);
      fragment.append(mark);
      if (endsHere) {
        const own = Array.from(new Set(spans.filter((s) => s.end === b && s.start < b)
          .map((s) => s.finding + 1)));
        if (own.length) {
          fragment.append(el("sup", { class: "hl-ref", "aria-hidden": "true", text: own.join(",") }));
          fragment.append(el("span", { class: "sr-only", text: ` (finding ${own.join(", ")})` }));
        }
      }
    }
    return fragment;
  }

  function renderScoreCard(card, message) {
    const overall = $("coach-overall");
    clear(overall);
    overall.append(overallLine(card));
    if (card.next_step) {
      overall.append(el("p", { class: "next-step", text:
        (card.overall === "acceptable" ? "To improve: " : "The one change that helps most: ") +
        card.next_step }));
    }
    if (card.limits) {
      const l = card.limits;
      overall.append(el("p", { class: `limit ${l.within_limit ? "" : "over"}`,
        text: `${l.characters} of ${l.max_characters} characters allowed on ${humanize(l.channel)}` +
          (l.within_limit ? "." : ": over the limit.") }));
      coachLimit = l.max_characters;
      updateCoachCounter(coachLimit);
    }
    if (card.metrics) {
      const m = card.metrics;
      overall.append(el("p", { class: "metrics", text:
        `${m.words} words · ${m.sentences} sentences · ${m.questions} question` +
        `${m.questions === 1 ? "" : "s"} · ${m.asks} ask${m.asks === 1 ? "" : "s"} · ` +
        `reading grade ${Number(m.reading_grade).toFixed(1)}` }));
    }

    const findings = [];
    const passing = [];
    for (const dim of card.dimensions || []) {
      if (dim.verdict === "pass" && !(dim.findings || []).length) passing.push(humanize(dim.dimension));
      for (const f of dim.findings || []) findings.push(f);
    }
    const order = { fail: 0, weak: 1, pass: 2 };
    findings.sort((a, b) => (order[a.verdict] ?? 3) - (order[b.verdict] ?? 3));

    const marked = $("coach-marked");
    clear(marked);
    marked.append(markedMessage(message, findings));

    const list = $("coach-findings");
    clear(list);
    findings.forEach((f, i) => {
      const quoted = [];
      (f.spans || []).forEach((s, k) => {
        if (k) quoted.push(", ");
        quoted.push(el("q", { text: s.text }));
      });
      const item = el("li", { class: `finding verdict-${f.verdict}`, id: `finding-${i + 1}`,
                              "data-finding": String(i + 1), tabindex: "0" },
        el("div", { class: "finding-head" },
          el("span", { class: "finding-num", "aria-hidden": "true", text: String(i + 1) }),
          el("span", { class: `badge ${f.verdict}`, text: VERDICT_LABEL[f.verdict] || f.verdict }),
          el("span", { class: "finding-dim", text: humanize(f.dimension) })),
        el("p", { class: "finding-message", text: f.message }),
        quoted.length ? el("p", { class: "finding-words" }, "On ", ...quoted)
                      : el("p", { class: "finding-words", text: "About the message as a whole" }),
        el("p", { class: "finding-fix" }, el("strong", { text: "Fix: " }), f.fix));
      const highlight = (on) => {
        for (const m of marked.querySelectorAll("mark")) {
          const ids = (m.getAttribute("data-findings") || "").split(" ");
          m.classList.toggle("active", on && ids.includes(String(i + 1)));
        }
      };
      item.addEventListener("mouseenter", () => highlight(true));
      item.addEventListener("mouseleave", () => highlight(false));
      item.addEventListener("focus", () => highlight(true));
      item.addEventListener("blur", () => highlight(false));
      list.append(item);
    });
    if (!findings.length) {
      list.append(el("li", { class: "finding none", text: "No findings: every dimension passes." }));
    }
    $("coach-passing").textContent = passing.length ? `Passes: ${passing.join(", ")}.` : "";
    $("coach-results").hidden = false;
  }

  // ---------------------------------------------------------------- my drafts (the history)

  // A server with a history database and API keys keeps each key's drafts (GET /v1/drafts);
  // any other server answers 501 history-off, said here in plain words instead of a list.
  const PAGE_SIZE = 20;
  const OUTCOMES = [
    ["sent", "Sent"], ["replied", "Replied"], ["no-reply", "No reply"], ["bounced", "Bounced"],
  ];
  const OUTCOME_LABEL = Object.fromEntries(OUTCOMES);
  const CHANNEL_LABEL = {
    email: "Email", linkedin_note: "LinkedIn note", linkedin_message: "LinkedIn message",
    dm: "Direct message",
  };
  const historyListBox = $("history-list-box");
  const historyList = $("history-list");
  const historyStatus = $("history-status");
  const historyError = $("history-error");
  const historyOff = $("history-off");
  const historyEntry = $("history-entry");
  const historyMore = $("history-more");
  const historyBusy = $("history-busy");
  let historyNext = null;
  let historySerial = 0;
  let openedId = null;

  function when(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  }

  function outcomeText(summary) {
    if (!summary.outcome) return "Outcome: not marked yet";
    const label = OUTCOME_LABEL[summary.outcome] || summary.outcome;
    return summary.variants > 1 && summary.outcome_variant
      ? `Outcome: ${label} (draft ${summary.outcome_variant})` : `Outcome: ${label}`;
  }

  function isHistoryOff(err) {
    return err instanceof ApiError && err.status === 501 && err.problem &&
      /history-off$/.test(String(err.problem.type || ""));
  }

  function showHistoryProblem(err) {
    clear(historyError);
    historyError.hidden = true;
    if (isHistoryOff(err)) {
      $("history-off-detail").textContent = err.problem.detail || "";
      historyOff.hidden = false;
      historyListBox.hidden = true;
      historyEntry.hidden = true;
      $("history-refresh").hidden = true;
      historyStatus.textContent = "This server keeps no drafts.";
      return;
    }
    const message = err instanceof ApiError && err.status === 401
      ? "This server needs your API key to show your drafts: type it into the API key field " +
        "at the top, then refresh the list."
      : (err && err.message) || String(err);
    historyError.append(el("p", { class: "error-title" }, el("strong", {
      text: err instanceof ApiError && err.problem && err.problem.title
        ? err.problem.title : "Your drafts could not be loaded" })));
    historyError.append(el("p", { text: message }));
    historyError.hidden = false;
    historyStatus.textContent = "";
  }

  /** Load the first page of the caller's drafts (or, with `more`, the next one). */
  async function loadHistory(more) {
    const serial = ++historySerial;
    const offset = more && historyNext !== null ? historyNext : 0;
    historyBusy.hidden = false;
    try {
      const page = await requestJson("GET", `/v1/drafts?limit=${PAGE_SIZE}&offset=${offset}`,
                                     undefined, undefined, true);
      if (serial !== historySerial) return;
      clear(historyError);
      historyError.hidden = true;
      historyOff.hidden = true;
      $("history-refresh").hidden = false;
      if (!more) clear(historyList);
      for (const summary of page.drafts) historyList.append(historyItem(summary));
      historyNext = page.next_offset;
      historyMore.hidden = historyNext === null || historyNext === undefined;
      historyListBox.hidden = false;
      const count = historyList.children.length;
      if (!count) {
        historyList.append(el("li", { class: "history-empty",
          text: "No drafts are kept for this API key yet. The drafts you make in “Draft a " +
                "message” are kept here." }));
      }
      historyStatus.textContent = count
        ? `${count} draft${count === 1 ? "" : "s"} shown.` : "No drafts kept yet.";
      if (openedId !== null && !historyList.querySelector(`[data-id="${openedId}"]`) && !more) {
        closeEntry();
      }
    } catch (err) {
      if (serial !== historySerial) return;
      showHistoryProblem(err);
    } finally {
      if (serial === historySerial) historyBusy.hidden = true;
    }
  }

  function historyItem(summary) {
    const id = Number(summary.id);
    const headingId = `history-item-${id}`;
    const item = el("li", { class: "history-item", "data-id": String(id),
                            "aria-labelledby": headingId });
    item.append(el("h3", { id: headingId, class: "history-recipient" },
      String(summary.recipient),
      el("span", { class: "history-when", text:
        ` · ${CHANNEL_LABEL[summary.channel] || summary.channel} · ${when(summary.created_at)}` })));
    item.append(el("p", { class: "history-goal", text: String(summary.goal) }));
    item.append(el("p", { class: "history-meta" },
      el("span", { class: `badge ${summary.verdict === "acceptable" ? "pass" : "fail"}`,
                   text: OVERALL_LABEL[summary.verdict] || String(summary.verdict) }),
      " ", el("span", { class: "history-outcome", text: outcomeText(summary) })));
    const open = el("button", { type: "button", class: "secondary open-draft" }, "Open",
      el("span", { class: "sr-only", text: ` the draft to ${summary.recipient}` }));
    open.addEventListener("click", () => openEntry(id));
    const remove = el("button", { type: "button", class: "secondary delete-draft" }, "Delete",
      el("span", { class: "sr-only", text: ` the draft to ${summary.recipient}` }));
    const confirmBox = el("div", { class: "confirm", hidden: true, role: "group",
                                   "aria-label": `Delete the draft to ${summary.recipient}?` });
    const yes = el("button", { type: "button", class: "danger", text: "Delete for good" });
    const no = el("button", { type: "button", class: "secondary", text: "Keep it" });
    confirmBox.append(el("p", { text: "Delete this draft from the server for good?" }), yes, no);
    remove.addEventListener("click", () => {
      confirmBox.hidden = false;
      no.focus();
    });
    no.addEventListener("click", () => {
      confirmBox.hidden = true;
      remove.focus();
    });
    yes.addEventListener("click", () => deleteEntry(id, item, summary.recipient));
    item.append(el("div", { class: "actions" }, open, remove), confirmBox);
    return item;
  }

  async function deleteEntry(id, item, recipient) {
    try {
      await requestJson("DELETE", `/v1/drafts/${id}`);
    } catch (err) {
      showHistoryProblem(err);
      return;
    }
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (openedId === id) closeEntry();
    const count = historyList.querySelectorAll(".history-item").length;
    historyStatus.textContent = `The draft to ${recipient} is deleted. ` +
      `${count} draft${count === 1 ? "" : "s"} shown.`;
    const focusTo = next && next.querySelector("button");
    if (focusTo) focusTo.focus();
    else $("history-refresh").focus();
  }

  function closeEntry() {
    openedId = null;
    clear(historyEntry);
    historyEntry.hidden = true;
  }

  async function openEntry(id) {
    let entry;
    try {
      entry = await requestJson("GET", `/v1/drafts/${id}`);
    } catch (err) {
      showHistoryProblem(err);
      return;
    }
    openedId = id;
    renderEntry(entry);
  }

  function renderEntry(entry) {
    clear(historyEntry);
    const request = entry.request || {};
    const recipient = request.recipient || {};
    const heading = el("h2", { id: "history-entry-heading", tabindex: "-1",
                               text: `To ${entry.recipient}` });
    historyEntry.append(heading);
    const facts = el("dl", { class: "offer-ask" });
    const fact = (name, text) => {
      if (text) facts.append(el("dt", { text: name }), el("dd", { text: String(text) }));
    };
    fact("Who", recipient.headline ? `${entry.recipient}, ${recipient.headline}` : "");
    fact("Goal", request.goal);
    fact("Channel", CHANNEL_LABEL[entry.channel] || entry.channel);
    fact("Drafted", when(entry.created_at));
    fact("Model", entry.model);
    historyEntry.append(facts);

    const drafts = (entry.result && entry.result.drafts) || [];
    // The outcome first: it is what one comes back to mark, and the drafts can be long.
    historyEntry.append(outcomeControls(entry, drafts.length));
    drafts.forEach((draft, i) => {
      const prefix = `stored-${entry.id}-${i + 1}`;
      const card = el("article", { class: "draft stored-draft", "aria-labelledby": `${prefix}-h` });
      card.append(el("header", { class: "draft-head" },
        el("h3", { id: `${prefix}-h`, text: drafts.length > 1 ? `Draft ${i + 1}` : "The draft" }),
        draft.score ? el("span", { class: `badge ${draft.score.overall === "acceptable" ? "pass" : "fail"}`,
                                   text: OVERALL_LABEL[draft.score.overall] || draft.score.overall })
          : null));
      if (draft.subject !== null && draft.subject !== undefined) {
        const subject = el("input", { id: `${prefix}-subject`, readonly: true });
        subject.value = draft.subject;
        card.append(el("div", { class: "field" },
          el("label", { for: subject.id, text: "Subject" }), subject));
      }
      const body = el("textarea", { id: `${prefix}-body`, class: "body", readonly: true });
      body.value = draft.body;
      // Tall enough for the whole draft, as in draft mode.
      body.rows = Math.min(40, Math.max(6, String(draft.body).split("\n")
        .reduce((n, line) => n + 1 + Math.floor(codePoints(line).length / 60), 1)));
      card.append(el("div", { class: "field" },
        el("label", { for: body.id, text: "Message" }), body));
      const copyStatus = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
      const copy = el("button", { type: "button", class: "secondary copy", text: "Copy message" });
      copy.addEventListener("click", async () => {
        const outcome = await copyText(body.value, body);
        copyStatus.textContent = outcome === "copied"
          ? "Copied to the clipboard." : "Selected: press Ctrl+C (or ⌘C) to copy.";
      });
      card.append(el("div", { class: "actions" }, copy, copyStatus));
      historyEntry.append(card);
    });

    historyEntry.hidden = false;
    heading.focus();
  }

  function outcomeControls(entry, variants) {
    const box = el("fieldset", { class: "outcome" });
    box.append(el("legend", { text: "What happened when you sent it?" }));
    let variantSelect = null;
    if (variants > 1) {
      variantSelect = el("select", { id: `outcome-variant-${entry.id}` });
      for (let v = 1; v <= variants; v++) {
        const option = el("option", { value: String(v), text: `Draft ${v}` });
        option.selected = v === (entry.outcome_variant || 1);
        variantSelect.append(option);
      }
      box.append(el("div", { class: "field" },
        el("label", { for: variantSelect.id, text: "Which draft you sent" }), variantSelect));
    }
    const marked = (stored) => {
      if (!stored.outcome) return "Not marked yet.";
      const label = OUTCOME_LABEL[stored.outcome] || stored.outcome;
      return variants > 1 && stored.outcome_variant
        ? `Marked: ${label} (draft ${stored.outcome_variant}).` : `Marked: ${label}.`;
    };
    const status = el("p", { class: "outcome-status", role: "status", "aria-live": "polite",
                             text: marked(entry) });
    const buttons = el("div", { class: "outcome-buttons" });
    for (const [outcome, label] of OUTCOMES) {
      const button = el("button", { type: "button", class: "secondary outcome-button",
                                    "data-outcome": outcome,
                                    "aria-pressed": entry.outcome === outcome ? "true" : "false",
                                    text: label });
      button.addEventListener("click", async () => {
        const body = { outcome };
        if (variantSelect) body.variant = Number(variantSelect.value);
        let stored;
        try {
          stored = await postJson(`/v1/drafts/${entry.id}/outcome`, body);
        } catch (err) {
          status.textContent = `Not marked: ${err.message || err}`;
          return;
        }
        for (const b of buttons.querySelectorAll("button")) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        }
        status.textContent = marked(stored);
        const line = historyList.querySelector(`[data-id="${entry.id}"] .history-outcome`);
        if (line) {
          line.textContent = outcomeText({ outcome: stored.outcome, variants,
                                           outcome_variant: stored.outcome_variant });
        }
      });
      buttons.append(button);
    }
    box.append(buttons, status);
    return box;
  }

  $("history-refresh").addEventListener("click", () => loadHistory(false));
  historyMore.addEventListener("click", () => loadHistory(true));
  // The list is fetched when its tab is shown, and again when the API key changes there.
  tabListeners.push((id) => {
    if (id === "tab-history") loadHistory(false);
  });
  const reloadIfShown = () => {
    if (!$("panel-history").hidden) loadHistory(false);
  };
  keyInput.addEventListener("change", reloadIfShown);
  $("api-key-forget").addEventListener("click", reloadIfShown);

  tabFromHash();
})();
