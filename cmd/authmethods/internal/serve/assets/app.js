// The page of authmethods serve: no framework, no network but this server.
// Everything shown is set with textContent, never parsed as HTML.
"use strict";

const GENUINE_HOST = "mysignins.microsoft.com";
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- tabs: click, and arrow keys between them (WAI-ARIA tabs pattern)
function setupTabs() {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  }
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => select(t, false));
    t.addEventListener("keydown", (ev) => {
      let j = -1;
      if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
      if (ev.key === "ArrowLeft") j = (i + tabs.length - 1) % tabs.length;
      if (ev.key === "Home") j = 0;
      if (ev.key === "End") j = tabs.length - 1;
      if (j >= 0) { ev.preventDefault(); select(tabs[j], true); }
    });
  });
}

// ---- status line under a form
function setStatus(id, text, kind) {
  const s = $(id);
  s.textContent = text;
  s.className = "status" + (kind ? " " + kind : "");
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Clipboard API refused (an old browser, or not a secure context):
    // fall back to a selection the user can copy.
    const t = el("textarea");
    t.value = text;
    document.body.appendChild(t);
    t.select();
    document.execCommand("copy");
    t.remove();
  }
  const old = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = old; }, 1500);
}

// ---- checking a link

// post sends text or an image to the explain API and shows the answer.
async function post(body, type, fromImage) {
  setStatus("status", fromImage ? "Reading the screenshot…" : "Checking…", "busy");
  $("results").replaceChildren();
  let resp;
  try {
    resp = await fetch("/api/explain", { method: "POST", headers: { "Content-Type": type }, body: body });
  } catch (e) {
    setStatus("status", "The authmethods server did not answer: is it still running?", "error");
    return;
  }
  const text = await resp.text();
  if (!resp.ok) {
    let msg = "Error " + resp.status;
    try {
      const j = JSON.parse(text);
      msg = j.error;
      if (j.read) msg += "\nText read from the image: " + j.read;
    } catch (e) { /* not JSON: keep the status */ }
    setStatus("status", msg, "error");
    return;
  }
  // The same verdict on the same link, which a mail repeats (the href,
  // its title, the text shown), is shown once.
  const seen = new Set();
  const records = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l)).filter((x) => {
    const key = JSON.stringify([x.kind, x.url, x.host, x.trusted, x.unconfirmed, x.authMethods, x.authMethodCount === null, x.headline, x.reasons, x.path, x.error, x.input && x.kind !== "link" ? x.input : ""]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const n = records.length;
  // A link that is not genuine must not hide below one that is (a mail's
  // text part genuine, its HTML part not): those come first, and say so.
  // An input that could not be read at all (kind "error") is as suspect as
  // a link that is not genuine.
  const isBad = (x) => x.kind === "error" || (x.kind === "link" && !x.trusted && !x.unconfirmed);
  const bad = records.filter(isBad).length;
  records.sort((a, b) => Number(isBad(a) ? 0 : 1) - Number(isBad(b) ? 0 : 1));
  if (bad > 0 && n > 1) {
    setStatus("status", "WARNING: " + bad + " of the " + n + " links or masks found " + (bad === 1 ? "is" : "are") + " NOT genuine or could not be read (shown first). Do not trust the message they came in.", "error");
  } else {
    setStatus("status", n === 1 ? "One link or mask found." : n + " links or masks found.", "");
  }
  for (const x of records) $("results").appendChild(render(x, fromImage, bad > 0));
  // A long mail pushes the answer below the fold: bring the first verdict up.
  const first = $("results").querySelector(".verdict");
  if (first) first.scrollIntoView({ block: "start" });
}

// verdict says how loud to be about one record.
function verdict(x, fromImage) {
  if (x.kind === "error") {
    return { cls: "bad", head: "COULD NOT READ A LINK: treat it as suspicious",
      line: x.error + (x.input ? " (" + x.input + ")" : ""),
      tell: "Please do not open that link until we have checked it: send it to us as text, and do not type anything into the page it opens." };
  }
  if (x.kind !== "link") {
    return { cls: "mask", head: "A mask, not a link",
      line: "authMethods " + x.authMethods + ": there is no host to judge." };
  }
  // unconfirmed: genuine as read from a screenshot, which cannot confirm it.
  if (!x.trusted && !x.unconfirmed) {
    return { cls: "bad", head: "NOT GENUINE: do not open this link",
      line: "It opens " + x.host + ", not " + GENUINE_HOST + ". Treat it as phishing.",
      tell: "Please do not open that link and do not type anything into it: it does not go to Microsoft (it opens " + x.host + "). Delete the message; we will look into it." };
  }
  if (fromImage || x.unconfirmed) {
    return { cls: "check", head: "CHECK THE SCREENSHOT: genuine only if the host reads exactly " + GENUINE_HOST,
      line: "Read from an image: text recognition can read a lookalike such as micros0ft as microsoft. Compare every letter of the host in the screenshot, or ask for the link as text.",
      tell: "I cannot confirm the link from a picture alone: please copy the link itself and send it to me as text before you open it." };
  }
  return { cls: "ok", head: "GENUINE Microsoft link",
    line: "It opens " + GENUINE_HOST + ", Microsoft's own security-info page.",
    tell: genuineSentence(x) };
}

function genuineSentence(x) {
  const self = x.methods.filter((m) => m.access === "self").map((m) => m.label);
  const other = x.methods.filter((m) => m.access !== "self").map((m) => m.label);
  let s = "That link is genuine: it opens Microsoft's own page, " + GENUINE_HOST + ", ";
  if (x.methods.length === 0) return s + "but it offers no method the wizard knows; please wait while we check it.";
  if (self.length === 0) return s + "but none of what it asks for (" + other.join(", ") + ") can you set up alone: we will help you.";
  s += self.length === 1 ? "where you can register " + self[0] + "."
    : "where you can register one of these methods: " + self.join(", ") + ".";
  if (other.length) s += " You cannot set up " + other.join(", ") + " yourself: we will help with " + (other.length === 1 ? "it." : "those.");
  return s;
}

// engineTell is the sentence explain itself gives for the user, when its
// --json has one ("tell": "Tell the user: \"…\""), without the wrapping.
function engineTell(x) {
  if (typeof x.tell !== "string" || x.tell === "") return "";
  const m = /^Tell the user: "(.*)"$/s.exec(x.tell);
  return m ? m[1] : x.tell;
}

// lines reads a list of sentences that may be strings or {text} objects.
function lines(list) {
  return (list || []).map((s) => (typeof s === "string" ? s : s.text)).filter(Boolean);
}

// render draws one record; mixed says the text also holds a link that is
// not genuine, so that a genuine one is not told to be opened.
function render(x, fromImage, mixed) {
  const node = $("result-tmpl").content.firstElementChild.cloneNode(true);
  const v = verdict(x, fromImage);
  // Genuine, or genuine as read from a screenshot (unconfirmed).
  const genuine = x.trusted || x.unconfirmed;
  // explain's own words win over the page's, except for a link read from
  // an image, where the page is stricter than any text can be.
  if (!fromImage || x.kind !== "link" || !genuine) {
    if (typeof x.headline === "string" && x.headline !== "") v.line = x.headline;
    if (engineTell(x)) v.tell = engineTell(x);
  }
  if (mixed && x.kind === "link" && x.trusted) {
    v.tell = "That message also holds a link that does not go to Microsoft: please do not open any link in it; we will send you a safe one.";
  }
  const box = node.querySelector(".verdict");
  box.classList.add(v.cls);
  node.querySelector(".verdict-head").textContent = v.head;
  node.querySelector(".verdict-line").textContent = v.line;
  const reasons = node.querySelector(".reasons");
  for (const r of x.reasons || []) reasons.appendChild(el("li", "", r.message + " [" + r.code + "]"));

  const tell = node.querySelector(".tell");
  if (v.tell) {
    node.querySelector(".tell-text").textContent = v.tell;
    node.querySelector(".copy-tell").addEventListener("click", (ev) => copy(v.tell, ev.target));
  } else {
    tell.remove();
  }

  if (x.kind === "error") {
    node.querySelector(".asks").remove();
    node.querySelector(".more").remove();
    return node;
  }
  const facts = node.querySelector(".facts");
  const fact = (k, val) => { if (val) { facts.appendChild(el("dt", "", k)); facts.appendChild(el("dd", "", val)); } };
  if (fromImage || x.input !== x.url) fact(fromImage ? "Read from the image" : "Found", x.input);
  if (x.kind === "link") {
    fact("Link", x.url);
    let host = x.trusted ? " (genuine)" : " (NOT genuine)";
    if (genuine && (fromImage || x.unconfirmed)) host = " (genuine as read: compare it with the image)";
    // The host the browser opens first, which for a link carried inside
    // another one is not the host the register link names.
    const opens = x.path && x.path.length ? x.path[0].host : x.host;
    fact("Opens", (opens || "no host") + host);
    if (x.wrapped && x.wrapped.length) fact("Unwrapped from", x.wrapped.join(", "));
  }
  fact("authMethods", String(x.authMethods) + " (" + x.catalog.provenance + ")");

  // A link that is not genuine gets nothing that reads like advice about
  // registering: the user must not open it at all.
  if (x.kind === "link" && !genuine) {
    node.querySelector(".asks").remove();
    node.querySelector(".more").remove();
    return node;
  }
  const n = x.methods.length;
  let reg;
  if (n === 0) reg = "No method the wizard knows: it has nothing to offer.";
  else if (x.register === 0) reg = "authMethodCount is 0 (nobody knows what the wizard does with 0). The methods it names:";
  else reg = "Register " + x.register + (n === 1 ? " method:" : " of these " + n + " methods:");
  if (typeof x.asks === "string" && x.asks !== "") reg = x.asks;
  else if (x.kind === "link" && !genuine) reg = "Were it genuine: " + reg;
  node.querySelector(".register").textContent = reg;
  const list = node.querySelector(".methods-list");
  for (const m of x.methods) {
    const li = el("li", m.access === "self" ? "self" : "other");
    li.appendChild(el("span", "m-label", m.label));
    li.appendChild(el("span", "m-advice", m.advice));
    li.appendChild(el("span", "m-name", m.name));
    list.appendChild(li);
  }

  const more = node.querySelector(".more");
  const section = (title, lines) => {
    if (!lines || !lines.length) return;
    more.appendChild(el("h2", "", title));
    const ul = el("ul");
    for (const s of lines) ul.appendChild(el("li", "", s));
    more.appendChild(ul);
  };
  section("About the link itself", lines(x.warnings));
  section("Not documented", lines(x.undocumented || x.unusual));
  section("Notes", lines(x.inferred || x.notes));
  const st = (x.sections && x.sections.strengths) || x.strengths;
  if (st && st.lines) {
    section("Authentication strengths (derived, not documented)", lines(st.lines));
  } else if (st) {
    const out = [];
    if (st.closest) out.push("Closest: \u201c" + st.closest.name + "\u201d" + (st.closest.exact ? " (exactly its methods)." : " allows every method in this mask."));
    const label = (name) => (x.methods.find((m) => m.name === name) || { label: name }).label;
    for (const s of st.strengths || []) {
      if (s.stricter && s.notAllowed.length) out.push("\u201c" + s.name + "\u201d, stricter, would not allow: " + s.notAllowed.map(label).join(", ") + ".");
    }
    out.push(st.note);
    section("Authentication strengths (derived, not documented)", out);
  }
  section("Keep in mind", lines(x.caveats));
  return node;
}

// sendFile checks a file chosen or dropped: a screenshot, or a saved mail
// (.eml, Outlook's .msg), page or text, which the server reads as the
// command line reads a file.
function sendFile(file) {
  if (!file) return;
  if (!/^image\//.test(file.type)) {
    $("preview").hidden = true;
    post(file, "application/octet-stream", false);
    return;
  }
  if (!/^image\/(png|jpeg|gif)$/.test(file.type)) {
    setStatus("status", "Only PNG, JPEG and GIF screenshots can be read, not " + file.type + ".", "error");
    return;
  }
  const p = $("preview");
  if (p.src) URL.revokeObjectURL(p.src);
  p.src = URL.createObjectURL(file);
  p.hidden = false;
  post(file, file.type, true);
}

function setupCheck() {
  const input = $("input");
  // Rich text pasted from a mail or a chat carries each link's real address
  // in its HTML; the text the box shows is only what the link says, so a
  // link that shows Microsoft's address over another would pass. The HTML
  // of the last paste is kept, with the box's text as the paste left it,
  // and checked too while the box still holds that text.
  let pasted = null; // {html, text, alone: the box was empty before}
  $("check-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("preview").hidden = true;
    if (input.value.trim() === "") {
      setStatus("status", "Paste a link, a mail or a screenshot first.", "error");
      input.focus();
      return;
    }
    let body = input.value;
    if (pasted && pasted.text === input.value) body = pasted.alone ? pasted.html : pasted.html + "\n" + input.value;
    post(body, "text/plain; charset=utf-8", false);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      $("check-form").requestSubmit();
    }
  });
  // A pasted screenshot arrives as a file on the clipboard; text pastes
  // go into the box as usual.
  input.addEventListener("paste", (ev) => {
    const files = Array.from(ev.clipboardData ? ev.clipboardData.files : []);
    const img = files.find((f) => f.type.startsWith("image/"));
    if (img) { ev.preventDefault(); sendFile(img); return; }
    const html = ev.clipboardData ? ev.clipboardData.getData("text/html") : "";
    pasted = null;
    if (/<a[\s>]/i.test(html)) {
      // The text lands in the box after this handler.
      const alone = input.value.trim() === "";
      setTimeout(() => { pasted = { html: html, text: input.value, alone: alone }; }, 0);
    }
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (ev) => {
    drop.classList.remove("over");
    const f = ev.dataTransfer && ev.dataTransfer.files[0];
    if (f) { ev.preventDefault(); sendFile(f); }
  });
  $("file").addEventListener("change", (ev) => { sendFile(ev.target.files[0]); ev.target.value = ""; });
  $("clear").addEventListener("click", () => {
    input.value = "";
    pasted = null;
    $("preview").hidden = true;
    $("results").replaceChildren();
    setStatus("status", "", "");
    input.focus();
  });
}

// ---- building a link

function setupBuild() {
  $("build-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const c of document.querySelectorAll('input[name="method"]:checked')) q.append("method", c.value);
    if ($("strength").value) q.set("strength", $("strength").value);
    setStatus("build-status", "Building…", "busy");
    let resp, j;
    try {
      resp = await fetch("/api/build?" + q.toString());
      j = await resp.json();
    } catch (e) {
      setStatus("build-status", "The authmethods server did not answer: is it still running?", "error");
      return;
    }
    if (!resp.ok) {
      $("build-result").hidden = true;
      setStatus("build-status", j.error, "error");
      return;
    }
    setStatus("build-status", "authMethods " + j.authMethods + ": " + (j.methods.join(", ") || "no method"), "");
    $("link").value = j.link;
    const ws = $("build-warnings");
    ws.replaceChildren();
    const notes = (j.warnings || []).slice();
    if (j.derivedFrom && j.derivedFrom.note) notes.push(j.derivedFrom.note);
    for (const w of notes) ws.appendChild(el("li", "", w));
    $("qr").src = "/api/qr?link=" + encodeURIComponent(j.link);
    $("build-result").hidden = false;
  });
  $("copy-link").addEventListener("click", (ev) => copy($("link").value, ev.target));
}

setupTabs();
setupCheck();
setupBuild();
