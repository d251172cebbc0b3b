/* Hand-in to the trainer (「交给培训师」), only when the book is served by `course serve`.
 *
 * The server adds <meta name="sige-collect" content="/api/collect/info"> and this script to each page; the
 * static book never loads it. The texts, the storage key and the hand-in address come from the server
 * (exercises/trainer/serve/texts.py). The learner's stored results document (the one the export writes,
 * read from the page's results store, static/sige-store.js) is sent as it is, with the batch code, 学号 and 个人码; the page then
 * shows what the server stored. Nothing here changes the stored document. The 学号 and 个人码 are asked once and
 * remembered on this device; the QR code of a learner's slip opens the book with
 * #handin-number=学号&handin-pin=个人码, which fills both (and is removed from the address at once).
 */
(function (root) {
  "use strict";

  var REMEMBER = "sige-collect-handin"; // the code, 学号 and 个人码 last typed, to fill the fields next time
  var SLIP = /^#handin-number=([^&]{1,40})&handin-pin=([A-Za-z0-9]{1,12})$/;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function readJson(key) {
    try {
      var text = root.localStorage.getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch (err) {
      return undefined;
    }
  }

  function remember(values) {
    try {
      root.localStorage.setItem(REMEMBER, JSON.stringify(values));
    } catch (err) {
      /* not remembered: the fields are typed again next time */
    }
  }

  function fromSlip() {
    var found = SLIP.exec(root.location.hash || "");
    if (!found) return;
    var saved = readJson(REMEMBER) || {};
    var number;
    try { number = decodeURIComponent(found[1]); } catch (err) { return; }
    remember({ code: saved.code || "", number: number, pin: found[2].toUpperCase() });
    if (root.history && typeof root.history.replaceState === "function") {
      root.history.replaceState(null, "", root.location.pathname + root.location.search);
    }
  }

  function clock(iso) {
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) return iso;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return moment.getFullYear() + "-" + two(moment.getMonth() + 1) + "-" + two(moment.getDate()) + " " +
      two(moment.getHours()) + ":" + two(moment.getMinutes()) + ":" + two(moment.getSeconds());
  }

  function hasAnswers(doc) {
    var practice = doc && doc.answers && typeof doc.answers === "object" ? Object.keys(doc.answers).length : 0;
    var attempts = doc && doc.assessment && Array.isArray(doc.assessment.attempts) ? doc.assessment.attempts.length : 0;
    return practice + attempts > 0;
  }

  function field(form, id, label, value, maxLength, autocomplete) {
    var row = el("p");
    var caption = el("label", label);
    caption.htmlFor = id;
    var input = el("input");
    input.id = id;
    input.type = "text";
    input.value = value || "";
    input.maxLength = maxLength;
    input.autocomplete = autocomplete;
    input.setAttribute("autocapitalize", "characters");
    row.appendChild(caption);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(input);
    form.appendChild(row);
    return input;
  }

  function addTo(panel, index, info) {
    var texts = info.texts;
    var saved = readJson(REMEMBER) || {};
    var box = el("section", "", "sige-handin");
    box.setAttribute("aria-labelledby", "sige-handin-title-" + index);
    var title = el("h3", texts.title);
    title.id = "sige-handin-title-" + index;
    box.appendChild(title);
    box.appendChild(el("p", texts.intro));
    var form = el("form");
    form.noValidate = true;
    var code = field(form, "sige-handin-code-" + index, texts.code, saved.code, 12, "off");
    var typedId = panel.querySelector(".sige-learner-id"); // the 学号 typed for the export, if any
    var number = field(form, "sige-handin-number-" + index, texts.number, saved.number || (typedId && typedId.value),
                       40, "username");
    var pin = field(form, "sige-handin-pin-" + index, texts.pin, saved.pin, 12, "off");
    var button = el("button", texts.send, "sige-handin-send");
    button.type = "submit";
    form.appendChild(button);
    var status = el("p", "", "sige-handin-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(form);
    box.appendChild(status);
    panel.appendChild(box);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var typedCode = code.value.trim();
      var typedNumber = number.value.trim();
      var typedPin = pin.value.trim();
      if (!typedCode) { status.textContent = texts.need_code; code.focus(); return; }
      if (!typedNumber) { status.textContent = texts.need_number; number.focus(); return; }
      if (!typedPin) { status.textContent = texts.need_pin; pin.focus(); return; }
      var doc = info.document();
      if (doc === undefined) { status.textContent = texts.unreadable; return; }
      if (!hasAnswers(doc)) { status.textContent = texts.empty; return; }
      remember({ code: typedCode, number: typedNumber, pin: typedPin });
      button.disabled = true;
      status.textContent = texts.sending;
      fetch(info.handin, {
        method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: typedCode, number: typedNumber, pin: typedPin, document: doc }),
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; },
                                    function () { return { ok: false, data: {} }; });
      }).then(function (result) {
        var data = result.data || {};
        if (result.ok) {
          status.textContent = say(data.repeated ? texts.repeated : texts.stored, {
            number: data.number, "new": data.new_answers, practice: data.practice,
            assessment: data.assessment, time: clock(data.time),
          });
        } else {
          status.textContent = say(texts.failed, { reason: data.error || texts.network });
        }
      }, function () {
        status.textContent = texts.network;
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  /* The page's results store (static/sige-store.js, the only reader of the learner's document), or null. */
  function resultsStore(key) {
    var script = document.querySelector('script[src*="selfcheck.js"]');
    if (!script) return Promise.resolve(null);
    return import(new URL("sige-store.js", script.src).href).then(function (module) {
      return module.storeByKey(key);
    }, function () { return null; });
  }

  function start() {
    var marker = document.querySelector('meta[name="sige-collect"]');
    if (!marker) return;
    fromSlip();
    var panels = document.querySelectorAll(".sige-progress, .sige-export-row"); // every page with 导出成绩文件
    if (!panels.length || typeof fetch !== "function") return;
    fetch(marker.getAttribute("content"), { credentials: "omit" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (info) {
      if (!info || !info.texts) return;
      return resultsStore(info.storage_key).then(function (store) {
        info.document = function () { return store ? store.fresh() : undefined; };
        Array.prototype.forEach.call(panels, function (panel, index) { addTo(panel, index, info); });
      });
    }, function () { /* no server: the page stays as the static book */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window);
