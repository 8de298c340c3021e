// Atelier Studio page script: live training progress (server-sent events), the Create page's
// requests (candidates, blend slider, keep/discard) and the time-to-sketch measurement.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;

  function newId() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  async function post(url, data) {
    const r = await fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
      credentials: "same-origin",
    });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      throw new Error((body && body.error) || "the studio answered " + r.status);
    }
    return body;
  }

  // ---- My style: live progress of every version being trained
  if (document.getElementById("versions")) {
    const es = new EventSource("/events/train");
    es.addEventListener("train", (ev) => {
      const d = JSON.parse(ev.data);
      const row = document.getElementById("v" + d.version);
      if (!row) { if (d.kind) location.reload(); return; }
      if (d.kind) {
        const bar = row.querySelector("progress");
        const training = d.kind === "progress" || d.kind === "prepare";
        if (d.total > 0 && d.kind !== "prepare") { bar.max = d.total; bar.value = d.done; }
        let text = d.kind === "prepare" ? "" : "step " + d.done + "/" + d.total;
        if (d.l1 !== undefined) text += " · loss (L1) " + d.l1.toFixed(3);
        if (d.message) text += (text ? " · " : "") + d.message;
        if (d.eta !== undefined && training) text += " · ETA " + Math.round(d.eta) + "s";
        row.querySelector(".progress").textContent = text;
        row.querySelector(".status").textContent = training ? "training" : d.kind;
        if (!training) setTimeout(() => location.reload(), 800);
      }
      if (d.preview) {
        const img = row.querySelector("img.preview");
        img.src = d.preview;
        img.hidden = false;
        img.alt = "preview";
      }
    });
  }

  // ---- Create
  const form = document.getElementById("create-form");
  if (!form) return;
  const results = document.getElementById("results");
  const message = document.getElementById("message");
  const timing = document.getElementById("timing");
  const blend = document.getElementById("blend");
  let currentInput = null;

  function show(kind, text) {
    message.hidden = !text;
    message.className = "notice " + kind;
    message.textContent = text || "";
  }

  async function sketch(source, measure) {
    const t0 = performance.now();
    const data = new FormData(form);
    data.delete("garment");
    data.delete("csrf");
    if (source.file) data.append("garment", source.file);
    if (source.gallery !== undefined) data.append("gallery", source.gallery);
    if (source.input) data.append("input", source.input);
    const request = newId();
    data.append("request", request);
    show("", "");
    results.setAttribute("aria-busy", "true");
    let r;
    try {
      r = await post("/create/sketch", data);
    } catch (e) {
      results.removeAttribute("aria-busy");
      show("error", e.message);
      return;
    }
    currentInput = r.input;
    results.innerHTML = "";
    const input = document.createElement("figure");
    input.className = "input";
    input.innerHTML = '<img alt="garment"><figcaption></figcaption>';
    input.querySelector("img").src = r.inputUrl;
    input.querySelector("figcaption").textContent = r.inputName;
    results.appendChild(input);
    const loads = [];
    for (const s of r.sketches) {
      const f = document.createElement("figure");
      f.className = "candidate";
      f.dataset.id = s.id;
      f.innerHTML = '<img class="sketch" alt="sketch"><figcaption></figcaption>' +
        '<button type="button" class="keep">Keep</button> <button type="button" class="discard">Discard</button> ' +
        '<a class="download">PNG</a>';
      const img = f.querySelector("img");
      loads.push(new Promise((ok) => { img.onload = ok; img.onerror = ok; }));
      img.src = s.url;
      f.querySelector("figcaption").textContent = s.variation;
      f.querySelector("a.download").href = s.download;
      f.querySelector(".keep").onclick = () => decide(f, true);
      f.querySelector(".discard").onclick = () => decide(f, false);
      results.appendChild(f);
    }
    await Promise.all(loads);
    const shown = performance.now() - t0;
    results.removeAttribute("aria-busy");
    results.dataset.request = request;
    timing.textContent = "time-to-sketch " + Math.round(shown) + " ms (model " + Math.round(r.serverMs) + " ms)";
    if (measure) {
      const t = new FormData();
      t.append("request", request);
      t.append("shownMs", shown.toFixed(1));
      post("/api/timing", t).catch(() => {});
    }
  }

  async function decide(fig, keep) {
    const d = new FormData();
    d.append("id", fig.dataset.id);
    d.append("keep", keep ? "true" : "false");
    try {
      await post("/create/decide", d);
      fig.classList.remove("kept", "discarded");
      fig.classList.add(keep ? "kept" : "discarded");
    } catch (e) {
      show("error", e.message);
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const file = document.getElementById("garment").files[0];
    if (!file) { show("error", "choose a garment image or pick one from the gallery"); return; }
    sketch({ file: file }, true);
  });
  document.querySelectorAll("button.pick").forEach((b) =>
    b.addEventListener("click", () => sketch({ gallery: b.dataset.gallery }, true)));
  if (blend) {
    const out = document.getElementById("blend-value");
    blend.addEventListener("input", () => { out.textContent = blend.value + "% own"; });
    blend.addEventListener("change", () => { if (currentInput) sketch({ input: currentInput }, false); });
  }
  const student = document.getElementById("student");
  if (student) student.addEventListener("change", () => { if (currentInput) sketch({ input: currentInput }, false); });
})();
