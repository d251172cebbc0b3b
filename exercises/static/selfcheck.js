/* In-page self-check of the 四个突出 course.
 *
 * SigeGrading mirrors the graders of exercises/questions/types (shared test vectors keep the two in
 * step, in Node and in Chromium). Every text and constant comes from Python as JSON (see
 * exercises/renderers/pagescript.py): the script has none of its own. The page part reveals the hidden
 * forms drawn by exercises/renderers/html.py, grades answers, keeps progress in localStorage (merged
 * change by change, so two tabs never undo each other) and exports it in the results format.
 */
(function (root) {
  "use strict";

  var OPTION_KEYS = "ABCDEF";

  function chars(text) {
    return Array.from(text);
  }

  function isString(value) {
    return typeof value === "string";
  }

  function isInt(value) {
    return typeof value === "number" && Number.isInteger(value);
  }

  function asList(value, limit) {
    return Array.isArray(value) ? value.slice(0, limit) : [];
  }

  /* A type's text with its "{name}" placeholders filled (Python's str.format for these texts). */
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : whole;
    });
  }

  /* Python's str.isspace(). */
  function isSpace(ch) {
    return /^[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(ch);
  }

  function strip(text) {
    var list = chars(text);
    var start = 0;
    var end = list.length;
    while (start < end && isSpace(list[start])) start += 1;
    while (end > start && isSpace(list[end - 1])) end -= 1;
    return list.slice(start, end).join("");
  }

  /* grading.clip: typed text of bounded length, without control characters. */
  function clipText(value, maxText) {
    var text = isString(value) ? value : "";
    return chars(text)
      .slice(0, maxText)
      .filter(function (ch) {
        return ch === "\n" || ch === "\t" || !/^\p{C}$/u.test(ch);
      })
      .join("");
  }

  function makeGrader(q, settings) {
    var maxText = settings.max_text;
    var drop = settings.drop;
    var t2s = q.t2s || {};
    var texts = q.texts || {};

    function clip(value) {
      return clipText(value, maxText);
    }

    function simplify(value) {
      return chars(clip(value).normalize("NFKC"))
        .map(function (ch) {
          return Object.prototype.hasOwnProperty.call(t2s, ch) ? t2s[ch] : ch;
        })
        .join("");
    }

    function normalize(value) {
      return chars(simplify(value).toLowerCase())
        .filter(function (ch) {
          return !isSpace(ch) && drop.indexOf(ch) < 0;
        })
        .join("");
    }

    function text(name, values) {
      return say(texts[name], values);
    }

    function result(fraction, response, details) {
      fraction = Math.min(Math.max(fraction, 0), 1);
      var verdict = fraction >= 1 ? "correct" : fraction <= 0 ? "incorrect" : "partial";
      var score = Math.round(q.points * fraction * 100) / 100;
      return { question_id: q.id, verdict: verdict, score: score, points: q.points, response: response, details: details };
    }

    function unanswered(response) {
      return { question_id: q.id, verdict: "unanswered", score: 0, points: q.points, response: response,
               details: [text("unanswered")] };
    }

    function optionKey(value) {
      if (typeof value === "boolean") return null;
      if (isInt(value) && value >= 0 && value < q.options) return OPTION_KEYS[value];
      if (isString(value) && value.length <= 8) {
        var key = strip(value.normalize("NFKC")).toUpperCase();
        if (chars(key).length === 1 && OPTION_KEYS.slice(0, q.options).indexOf(key) >= 0) return key;
      }
      return null;
    }

    function asBool(value) {
      if (typeof value === "boolean") return value;
      if (isString(value) && value.length <= 64) {
        var said = normalize(value);
        if (q.true_words.indexOf(said) >= 0) return true;
        if (q.false_words.indexOf(said) >= 0) return false;
      }
      return null;
    }

    var graders = {
      single: function (response) {
        var key = optionKey(response);
        if (key === null) return unanswered(null);
        var right = key === q.answer;
        return result(right ? 1 : 0, key, [text(right ? "right" : "wrong", { key: key, answer: q.answer })]);
      },
      multiple: function (response) {
        var seen = {};
        asList(response, q.max_picks).forEach(function (v) {
          var k = optionKey(v);
          if (k) seen[k] = true;
        });
        var chosen = Object.keys(seen).sort();
        if (!chosen.length) return unanswered([]);
        var wrong = chosen.filter(function (k) { return q.answer.indexOf(k) < 0; });
        var missed = q.answer.filter(function (k) { return chosen.indexOf(k) < 0; });
        var details = [text("chosen", { chosen: chosen.join("、"), answer: q.answer.join("、") })];
        if (wrong.length) details.push(text("extra", { keys: wrong.join("、") }));
        if (missed.length) details.push(text("missed", { keys: missed.join("、") }));
        var fraction = wrong.length ? 0 : (q.answer.length - missed.length) / q.answer.length;
        return result(fraction, chosen, details);
      },
      truefalse: function (response) {
        var value = asBool(response);
        if (value === null) return unanswered(null);
        var right = value === q.answer;
        var words = { said: text(value ? "true" : "false"), truth: text(q.answer ? "true" : "false") };
        return result(right ? 1 : 0, value, [text(right ? "right" : "wrong", words)]);
      },
      fill: function (response) {
        var n = q.blanks.length;
        var given = isString(response) ? [response] : asList(response, n);
        var typed = given.map(clip);
        while (typed.length < n) typed.push("");
        if (!typed.some(function (t) { return normalize(t); })) return unanswered(typed);
        var right = 0;
        var details = typed.map(function (typedText, i) {
          var variants = q.blanks[i];
          var ok = variants.map(normalize).indexOf(normalize(typedText)) >= 0;
          right += ok ? 1 : 0;
          var shown = strip(typedText) || text("empty");
          return text(ok ? "right" : "wrong", { number: i + 1, given: shown, expected: variants[0] });
        });
        return result(right / n, typed, details);
      },
      order: function (response) {
        var n = q.items.length;
        var given = asList(response, n).map(clip);
        if (!given.some(function (g) { return g; })) return unanswered(given);
        var right = 0;
        given.forEach(function (g, i) {
          if (normalize(g) === normalize(q.items[i])) right += 1;
        });
        var details = [text("placed", { right: right, total: n }), text("order", { order: q.items.join(" → ") })];
        return result(right / n, given, details);
      },
      match: function (response) {
        var n = q.pairs.length;
        var given = response !== null && typeof response === "object" && !Array.isArray(response) ? response : {};
        var cleaned = {};
        var count = 0;
        for (var key in given) {
          if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
          if (count++ >= 2 * n) break;
          cleaned[clip(key)] = clip(given[key]);
        }
        if (!Object.keys(cleaned).some(function (k) { return cleaned[k]; })) return unanswered(cleaned);
        var right = 0;
        var details = q.pairs.map(function (pair) {
          var chosen = Object.prototype.hasOwnProperty.call(cleaned, pair[0]) ? cleaned[pair[0]] : "";
          var ok = normalize(chosen) === normalize(pair[1]);
          right += ok ? 1 : 0;
          return text(ok ? "right" : "wrong", { left: pair[0], chosen: chosen || text("none"), expected: pair[1] });
        });
        return result(right / n, cleaned, details);
      },
    };
    return graders[q.type];
  }

  /* Grade ``response`` to question payload ``q`` (see exercises/renderers/pagescript.py); never throws. */
  function grade(q, response, settings) {
    var grader = makeGrader(q, settings || {});
    if (!grader) return null;
    return grader(response === undefined ? null : response);
  }

  /* results.clean_name: a typed name on one line, without control characters, of bounded length. */
  function cleanName(value, settings) {
    var words = clipText(value, settings.max_text).split(/[\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/);
    return chars(words.filter(Boolean).join(" ")).slice(0, settings.naming.max_name).join("");
  }

  /* results.safe_filename: letters (any script), digits, - and _ only. */
  function safeFilename(value, settings) {
    var kept = chars(cleanName(value, settings).normalize("NFKC")).map(function (ch) {
      return /^[\p{L}\p{N}_-]$/u.test(ch) ? ch : "_";
    });
    return chars(kept.join("").replace(/_+/g, "_").replace(/^_+|_+$/g, "")).slice(0, settings.naming.max_file_part).join("");
  }

  /* results.export_name, e.g. 成绩-张三-1024.json. */
  function exportName(learner, learnerId, settings) {
    var parts = [safeFilename(learner, settings), safeFilename(learnerId, settings)].filter(Boolean);
    return settings.naming.prefix + (parts.join("-") || settings.naming.unnamed) + ".json";
  }

  /* questions.form: the response made of the controls' values, and back. */
  function formResponse(form, values) {
    if (form.shape === "one") return values.length ? values[0] : null;
    if (form.shape === "list") return values.slice();
    var answer = {};
    form.controls.forEach(function (control, i) { answer[control.label] = values[i]; });
    return answer;
  }

  function formValues(form, response) {
    if (form.shape === "one") return [response];
    if (form.shape === "list") {
      var given = Array.isArray(response) ? response : [];
      return form.controls.map(function (c, i) { return i < given.length ? given[i] : null; });
    }
    var mapping = response !== null && typeof response === "object" && !Array.isArray(response) ? response : {};
    return form.controls.map(function (c) {
      return Object.prototype.hasOwnProperty.call(mapping, c.label) ? mapping[c.label] : null;
    });
  }

  var SigeGrading = { grade: grade, cleanName: cleanName, safeFilename: safeFilename, exportName: exportName,
                      formResponse: formResponse, formValues: formValues };
  root.SigeGrading = SigeGrading;
  if (typeof module !== "undefined" && module.exports) module.exports = SigeGrading;

  if (typeof document === "undefined") return;

  /* ---------------------------------------------------------------- page part */

  function readJson(element) {
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (err) {
      return null;
    }
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00");
  }

  /* The results document in localStorage. Every change re-reads the stored document and changes only
     what it is about, so two tabs of the course never undo each other's answers. */
  function Store(settings) {
    this.settings = settings;
    this.key = settings.storage_key;
    this.message = "";
    this.data = this.load();
  }

  Store.prototype.empty = function () {
    var s = this.settings;
    return { format: s.format, version: s.version, course_version: s.course_version, learner: "", learner_id: "",
             updated: now(), answers: {} };
  };

  Store.prototype.valid = function (data) {
    return !!data && data.format === this.settings.format && data.version === this.settings.version &&
      typeof data.answers === "object" && data.answers !== null && !Array.isArray(data.answers);
  };

  Store.prototype.load = function () {
    var text = null;
    try {
      text = root.localStorage.getItem(this.key);
    } catch (err) {
      this.message = this.settings.texts.storage_blocked;
      return this.empty();
    }
    if (text === null) return this.empty();
    var data = null;
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = null;
    }
    if (!this.valid(data)) {
      this.message = this.settings.texts.storage_unreadable;
      return this.empty();
    }
    return data;
  };

  /* The stored document as it is now (another tab may have changed it). */
  Store.prototype.fresh = function () {
    var stored = this.load();
    if (this.valid(stored)) this.data = stored;
    return this.data;
  };

  Store.prototype.change = function (apply) {
    apply(this.fresh());
    this.data.updated = now();
    try {
      root.localStorage.setItem(this.key, JSON.stringify(this.data));
    } catch (err) {
      this.message = this.settings.texts.storage_failed;
    }
  };

  Store.prototype.record = function (result) {
    this.change(function (data) {
      data.answers[result.question_id] = {
        answer: result.response, verdict: result.verdict, score: result.score, points: result.points, time: now(),
      };
    });
  };

  Store.prototype.forget = function (ids) {
    this.change(function (data) {
      ids.forEach(function (id) { delete data.answers[id]; });
    });
  };

  Store.prototype.setField = function (field, value) {
    this.change(function (data) { data[field] = value; });
  };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function labelled(label, text) {
    var p = el("p");
    p.appendChild(el("strong", label));
    p.appendChild(document.createTextNode(text));
    return p;
  }

  function format(number) {
    return String(Math.round(number * 100) / 100);
  }

  /* One control of a question's form, drawn by exercises/renderers/html.py. */
  function controlValue(control, node) {
    if (control.kind === "choice") {
      var boxes = Array.prototype.slice.call(node.querySelectorAll("input"));
      var picked = control.choices.filter(function (choice, i) { return boxes[i] && boxes[i].checked; })
        .map(function (choice) { return choice[0]; });
      return control.multiple ? picked : (picked.length ? picked[0] : null);
    }
    return node.querySelector("input, textarea, select").value;
  }

  function showValue(control, node, value) {
    if (control.kind === "choice") {
      var wanted = control.multiple ? (Array.isArray(value) ? value : []) : [value];
      var boxes = node.querySelectorAll("input");
      control.choices.forEach(function (choice, i) {
        if (boxes[i]) boxes[i].checked = wanted.indexOf(choice[0]) >= 0;
      });
      return;
    }
    var field = node.querySelector("input, textarea, select");
    field.value = isString(value) ? value : "";
    if (field.tagName === "SELECT" && field.value !== value) field.value = "";
  }

  function Question(section, settings, onChange) {
    this.section = section;
    this.form = section.querySelector("form.sige-check");
    this.q = readJson(this.form && this.form.querySelector("script.sige-data"));
    this.settings = settings;
    this.onChange = onChange;
    this.result = null;
  }

  Question.prototype.nodes = function () {
    return Array.prototype.slice.call(this.form.querySelectorAll(".sige-controls .sige-control"));
  };

  Question.prototype.response = function () {
    var nodes = this.nodes();
    var values = this.q.form.controls.map(function (control, i) { return controlValue(control, nodes[i]); });
    return formResponse(this.q.form, values);
  };

  Question.prototype.restore = function (answer) {
    var nodes = this.nodes();
    var values = formValues(this.q.form, answer);
    this.q.form.controls.forEach(function (control, i) { showValue(control, nodes[i], values[i]); });
  };

  Question.prototype.clear = function () {
    this.form.reset();
    var box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    delete box.dataset.verdict;
    this.result = null;
  };

  Question.prototype.show = function (result) {
    var texts = this.settings.texts;
    var box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    box.dataset.verdict = result.verdict;
    var head = el("p", null, "sige-verdict sige-" + result.verdict);
    head.appendChild(el("strong", this.settings.symbols[result.verdict] + " " + this.settings.verdicts[result.verdict]));
    head.appendChild(document.createTextNode(say(texts.score, { score: format(result.score), points: format(result.points) })));
    box.appendChild(head);
    var list = el("ul");
    result.details.forEach(function (d) { list.appendChild(el("li", d)); });
    box.appendChild(list);
    if (result.verdict === "unanswered") return;
    box.appendChild(labelled(texts.answer, this.q.answer_text));
    box.appendChild(labelled(texts.explanation, this.q.explanation));
    var quote = el("blockquote", null, "sige-source");
    quote.appendChild(el("strong", texts.source));
    quote.appendChild(document.createTextNode(this.q.source));
    box.appendChild(quote);
    box.appendChild(el("p", say(texts.rule, { rule: this.q.rule }), "sige-rule"));
  };

  Question.prototype.submit = function () {
    var result = grade(this.q, this.response(), this.settings);
    this.show(result);
    this.result = result.verdict === "unanswered" ? null : result;
    this.onChange(this, this.result);
  };

  Question.prototype.reset = function () {
    this.clear();
    this.onChange(this, null);
  };

  Question.prototype.enable = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.form.querySelector(".sige-retry").addEventListener("click", function () { self.reset(); });
    Array.prototype.forEach.call(this.form.querySelectorAll("input, select, textarea, button"), function (c) { c.disabled = false; });
    var staticPart = this.section.querySelector(".sige-static");
    if (staticPart) staticPart.hidden = true;
    this.form.hidden = false;
  };

  function setUpList(container) {
    var settings = readJson(container.querySelector("script.sige-settings"));
    if (!settings) return;
    var store = new Store(settings);
    var panel = container.querySelector(".sige-progress");
    var total = panel.querySelector(".sige-total");
    var notice = panel.querySelector(".sige-notice");
    var questions = [];

    function refresh() {
      var score = 0;
      var points = 0;
      var answered = 0;
      questions.forEach(function (item) {
        points += item.q.points;
        if (item.result) {
          score += item.result.score;
          answered += 1;
        }
      });
      total.textContent = say(settings.texts.total, { score: format(score), points: format(points),
                                                      count: questions.length, answered: answered });
      notice.textContent = store.message;
      showBreakdown();
    }

    // On a paper drawn from several pillars (the final assessment), the score of each pillar.
    function showBreakdown() {
      var table = panel.querySelector(".sige-breakdown");
      var byPillar = {};
      questions.forEach(function (item) {
        var key = String(item.q.pillar);
        var row = byPillar[key] || (byPillar[key] = { score: 0, points: 0 });
        row.points += item.q.points;
        if (item.result) row.score += item.result.score;
      });
      var keys = Object.keys(byPillar).sort();
      if (!table || keys.length < 2) return;
      var body = table.querySelector("tbody");
      body.textContent = "";
      keys.forEach(function (key) {
        var row = byPillar[key];
        var share = row.points ? row.score / row.points : 0;
        var tr = el("tr");
        var th = el("th", (settings.pillars || {})[key] || key);
        th.scope = "row";
        tr.appendChild(th);
        tr.appendChild(el("td", format(row.score) + " / " + format(row.points)));
        var cell = el("td");
        var meter = el("meter");
        meter.min = 0;
        meter.max = 1;
        meter.value = share;
        meter.setAttribute("aria-hidden", "true");
        cell.appendChild(meter);
        cell.appendChild(el("span", " " + Math.round(share * 100) + "%"));
        tr.appendChild(cell);
        body.appendChild(tr);
      });
      table.hidden = false;
    }

    var testMode = container.dataset.mode === "test";
    var paperId = container.dataset.paper || "";

    function changed(item, result) {
      if (testMode) return; // a test is graded and stored on 交卷
      if (result) store.record(result);
      else store.forget([item.q.id]);
      refresh();
    }

    /* Practice: show what the stored document holds for each question (this tab's or another's). */
    function showStored() {
      questions.forEach(function (item) {
        var saved = store.data.answers[item.q.id];
        item.clear();
        if (saved && typeof saved === "object") {
          item.restore(saved.answer);
          var result = grade(item.q, item.response(), settings);
          if (result.verdict !== "unanswered") {
            item.show(result);
            item.result = result;
          }
        }
      });
    }

    function attempts(data) {
      var section = data.assessment;
      var list = section && Array.isArray(section.attempts) ? section.attempts : [];
      return list.filter(function (a) { return a && typeof a === "object" && a.paper === paperId; });
    }

    function setLocked(locked) {
      questions.forEach(function (item) {
        Array.prototype.forEach.call(item.form.querySelectorAll("input, select, textarea"), function (c) { c.disabled = locked; });
      });
      panel.querySelector(".sige-hand-in").disabled = locked;
    }

    /* Test: show the latest handed-in attempt of this paper, graded, or an empty paper. */
    function showLatestAttempt() {
      var done = attempts(store.data);
      var last = done.length ? done[done.length - 1] : null;
      questions.forEach(function (item) {
        item.clear();
        var saved = last && last.answers && last.answers[item.q.id];
        if (!saved) return;
        item.restore(saved.answer);
        var result = grade(item.q, item.response(), settings);
        item.show(result);
        item.result = result.verdict === "unanswered" ? null : result;
      });
      setLocked(!!last);
    }

    function handIn() {
      var results = questions.map(function (item) { return grade(item.q, item.response(), settings); });
      var blank = results.filter(function (r) { return r.verdict === "unanswered"; }).length;
      if (blank && !root.confirm(say(settings.texts.confirm_hand_in, { count: blank }))) return;
      var time = now();
      var answers = {};
      results.forEach(function (r) {
        answers[r.question_id] = { answer: r.response, verdict: r.verdict, score: r.score, points: r.points, time: time };
      });
      store.change(function (data) {
        if (!data.assessment || typeof data.assessment !== "object" || !Array.isArray(data.assessment.attempts)) {
          data.assessment = { attempts: [] };
        }
        var number = data.assessment.attempts.length + 1;
        data.assessment.attempts.push({ id: "attempt-" + number, paper: paperId, started: startedAt,
                                        submitted: time, answers: answers });
      });
      showLatestAttempt();
      refresh();
    }

    var startedAt = now();
    Array.prototype.forEach.call(container.querySelectorAll("section.sige-question"), function (section) {
      var item = new Question(section, settings, changed);
      if (!item.form || !item.q) return;
      item.enable();
      if (testMode) {
        var ownActions = item.form.querySelector(".sige-actions");
        if (ownActions) ownActions.hidden = true;
        item.submit = function () {}; // a test is graded on 交卷, never question by question
      }
      questions.push(item);
    });
    if (!questions.length) return;
    if (testMode) showLatestAttempt();
    else showStored();

    [["learner", ".sige-learner"], ["learner_id", ".sige-learner-id"]].forEach(function (pair) {
      var input = panel.querySelector(pair[1]);
      input.value = isString(store.data[pair[0]]) ? store.data[pair[0]] : "";
      input.addEventListener("change", function () {
        store.setField(pair[0], cleanName(input.value, settings));
        input.value = store.data[pair[0]];
        refresh();
      });
    });

    panel.querySelector(".sige-export").addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(store.fresh(), null, 1)], { type: "application/json" });
      var link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = exportName(store.data.learner, store.data.learner_id, settings);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
    Array.prototype.forEach.call(panel.querySelectorAll("button, input"), function (c) { c.disabled = false; });
    if (testMode) {
      panel.querySelector(".sige-hand-in").addEventListener("click", handIn);
      panel.querySelector(".sige-new-attempt").addEventListener("click", function () {
        questions.forEach(function (item) { item.clear(); });
        startedAt = now();
        setLocked(false);
        refresh();
      });
      setLocked(attempts(store.data).length > 0);
    } else {
      panel.querySelector(".sige-reset-all").addEventListener("click", function () {
        if (!root.confirm(say(settings.texts.confirm_reset, { count: questions.length }))) return;
        questions.forEach(function (item) { item.clear(); });
        store.forget(questions.map(function (item) { return item.q.id; }));
        refresh();
      });
    }
    // Another tab changed the stored answers: show them here too (practice only; a test in progress stays).
    root.addEventListener("storage", function (event) {
      if (event.key !== store.key || testMode) return;
      store.fresh();
      showStored();
      refresh();
    });
    panel.hidden = false;
    refresh();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".sige-questions"), setUpList);
  }

  /* Search snippets leave out keys, self-check forms and panels, as the search index does
     (exercises/book/search_index.py). */
  function hideExercisesFromSearch() {
    // Sphinx declares Search with const: a global binding, not a property of window.
    var search = typeof Search !== "undefined" ? Search : root.Search;
    if (!search || !search.htmlToText || search.htmlToText.sigeFiltered) return;
    var original = search.htmlToText;
    search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      Array.prototype.forEach.call(doc.querySelectorAll(".sige-key, .sige-check, .sige-progress"), function (node) {
        node.remove();
      });
      return original(doc.documentElement.outerHTML, anchor);
    };
    search.htmlToText.sigeFiltered = true;
  }

  hideExercisesFromSearch();
  document.addEventListener("DOMContentLoaded", hideExercisesFromSearch);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
