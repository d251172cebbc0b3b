/* Phone-first modes of the 四个突出 course: 逐题练习, 挑战答题, 错题本与学习记录.
 *
 * SigePractice.score mirrors exercises/questions/challenge.score (shared test vectors, Node and Chromium).
 * Questions, texts, the challenge rule and the seeded rounds come from Python as JSON
 * (exercises/renderers/practice_html.py); answers are graded with selfcheck.js's SigeGrading.grade.
 * Results go into the same localStorage document as the chapter pages ("sige-course-results"): every
 * change re-reads the stored document and changes only its own part, so tabs never undo each other.
 */
(function (root) {
  "use strict";

  /* challenge.in_time: a number of seconds from 0 up to, not including, the limit. */
  function inTime(seconds, rule) {
    return typeof seconds === "number" && isFinite(seconds) && seconds >= 0 && seconds < rule.seconds;
  }

  /* challenge.score: the points of each answer of a round, in order. */
  function score(answers, rule) {
    var points = [];
    var streak = 0;
    (Array.isArray(answers) ? answers : []).forEach(function (answer) {
      var given = answer && typeof answer === "object" && !Array.isArray(answer) ? answer : {};
      if (given.verdict === "correct" && inTime(given.seconds, rule)) {
        points.push(rule.per_correct + rule.streak_bonus * Math.min(streak, rule.bonus_cap));
        streak += 1;
      } else {
        points.push(0);
        streak = 0;
      }
    });
    return points;
  }

  function sum(list) {
    return list.reduce(function (a, b) { return a + b; }, 0);
  }

  var SigePractice = { score: score, inTime: inTime };
  root.SigePractice = SigePractice;
  if (typeof module !== "undefined" && module.exports) module.exports = SigePractice;
  if (typeof document === "undefined") return;

  /* ---------------------------------------------------------------- page part */

  var MAX_ROUNDS = 200;
  var WARN_AT = [10, 5];

  function isString(value) {
    return typeof value === "string";
  }

  function isObject(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : whole;
    });
  }

  function now() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00");
  }

  function format(number) {
    return String(Math.round(number * 100) / 100);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function labelled(tag, label, text, className) {
    var node = el(tag, null, className);
    node.appendChild(el("strong", label));
    node.appendChild(document.createTextNode(text));
    return node;
  }

  /* The results document in localStorage (the same one selfcheck.js keeps); where storage is blocked or
     holds something else, the page keeps its document in memory. */
  function Store(settings) {
    this.settings = settings;
    this.key = settings.storage_key;
    this.data = this.read() || this.empty();
  }

  Store.prototype.empty = function () {
    var s = this.settings;
    return { format: s.format, version: s.version, course_version: s.course_version, learner: "", learner_id: "",
             updated: now(), answers: {} };
  };

  /* The stored document, or null when there is none this script can use. */
  Store.prototype.read = function () {
    var data = null;
    try {
      data = JSON.parse(root.localStorage.getItem(this.key));
    } catch (err) {
      return null;
    }
    var s = this.settings;
    var valid = isObject(data) && data.format === s.format && data.version === s.version && isObject(data.answers);
    return valid ? data : null;
  };

  /* The stored document as it is now (another tab may have changed it). */
  Store.prototype.fresh = function () {
    this.data = this.read() || this.data;
    return this.data;
  };

  Store.prototype.change = function (apply) {
    apply(this.fresh());
    this.data.updated = now();
    try {
      root.localStorage.setItem(this.key, JSON.stringify(this.data));
    } catch (err) {
      /* storage blocked or full: the page still works for this visit */
    }
  };

  /* This script's part of the document, made whole where missing. */
  function section(data) {
    if (!isObject(data.practice_modes)) data.practice_modes = {};
    var s = data.practice_modes;
    if (!Array.isArray(s.rounds)) s.rounds = [];
    if (!isObject(s.wrong_book)) s.wrong_book = {};
    if (typeof s.points !== "number" || !isFinite(s.points)) s.points = 0;
    if (!isObject(s.practice)) s.practice = {};
    if (!isObject(s.practice.positions)) s.practice.positions = {};
    return s;
  }

  /* challenge.readable_answer: the response as the learner saw it. */
  function readable(q, response, texts) {
    var values = root.SigeGrading.formValues(q.form, response);
    var parts = q.form.controls.map(function (control, i) {
      var value = values[i];
      if (control.kind === "choice") {
        var chosen = Array.isArray(value) ? value : [value];
        return control.choices.filter(function (c) { return chosen.indexOf(c[0]) >= 0; })
          .map(function (c) { return c[1]; }).join("、");
      }
      return isString(value) ? value.trim() : "";
    });
    var shown = parts.join("；");
    return shown.replace(/；/g, "") ? shown : texts.unanswered_text;
  }

  var WRONG = { incorrect: true, partial: true };

  /* Put a wrong answer in the 错题本 (its re-tries start again). */
  function noteWrong(data, q, answer, verdict, source, time, texts) {
    section(data).wrong_book[q.id] = { answer: answer, shown: readable(q, answer, texts), verdict: verdict,
                                       source: source, time: time, right: 0 };
  }

  /* Wrong answers in the chapters and the assessment that the 错题本 does not have yet. */
  function unseenWrong(data, byId) {
    var book = isObject(data.practice_modes) && isObject(data.practice_modes.wrong_book) ? data.practice_modes.wrong_book : {};
    var found = {};
    function consider(id, entry, source) {
      if (!byId[id] || !isObject(entry) || !WRONG[entry.verdict] || !isString(entry.time)) return;
      var known = book[id];
      if (isObject(known) && isString(known.time) && known.time >= entry.time) return;
      if (found[id] && found[id].time >= entry.time) return;
      found[id] = { id: id, answer: entry.answer, verdict: entry.verdict, time: entry.time, source: source };
    }
    Object.keys(data.answers).forEach(function (id) { consider(id, data.answers[id], "answers"); });
    var attempts = isObject(data.assessment) && Array.isArray(data.assessment.attempts) ? data.assessment.attempts : [];
    attempts.forEach(function (attempt) {
      if (!isObject(attempt) || !isObject(attempt.answers)) return;
      Object.keys(attempt.answers).forEach(function (id) { consider(id, attempt.answers[id], "assessment"); });
    });
    return Object.keys(found).map(function (id) { return found[id]; });
  }

  function syncWrong(store, byId, texts) {
    if (!unseenWrong(store.fresh(), byId).length) return;
    store.change(function (data) {
      unseenWrong(data, byId).forEach(function (w) {
        noteWrong(data, byId[w.id], w.answer, w.verdict, w.source, w.time, texts);
      });
    });
  }

  /* One question per screen, its controls drawn from the question's form. */
  function Card(node, page) {
    this.node = node;
    this.page = page;
    this.head = node.querySelector(".sige-card-head");
    this.meta = node.querySelector(".sige-card-meta");
    this.stem = node.querySelector(".sige-card-stem");
    this.form = node.querySelector(".sige-card-form");
    this.controls = node.querySelector(".sige-card-controls");
    this.submitButton = node.querySelector(".sige-card-submit");
    this.nextButton = node.querySelector(".sige-card-next");
    this.feedback = node.querySelector(".sige-card-feedback");
    this.q = null;
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (self.onSubmit && !self.submitButton.hidden) self.onSubmit();
    });
    this.nextButton.addEventListener("click", function () { if (self.onNext) self.onNext(); });
  }

  Card.prototype.show = function (q, heading, focus) {
    var texts = this.page.texts;
    var id = "sige-q-" + (this.page.counter += 1);
    this.q = q;
    this.head.textContent = heading;
    this.meta.textContent = say(texts.card_head, { label: q.label, points: format(q.points), measure: q.measure_label });
    this.stem.textContent = q.stem;
    this.controls.textContent = "";
    var self = this;
    q.form.controls.forEach(function (control, i) {
      self.controls.appendChild(self.control(control, id + "-" + i));
    });
    this.feedback.textContent = "";
    delete this.feedback.dataset.verdict;
    this.submitButton.hidden = false;
    this.submitButton.disabled = false;
    this.nextButton.hidden = true;
    this.node.hidden = false;
    if (focus) this.head.focus();
  };

  Card.prototype.control = function (control, id) {
    var box = el("div", null, "sige-control");
    if (control.kind === "choice") {
      var set = el("fieldset");
      set.appendChild(el("legend", control.legend));
      control.choices.forEach(function (choice, i) {
        var label = el("label", null, "sige-choice");
        var input = el("input");
        input.type = control.multiple ? "checkbox" : "radio";
        input.name = id;
        input.value = String(i);
        label.appendChild(input);
        label.appendChild(el("span", choice[1]));
        set.appendChild(label);
      });
      box.appendChild(set);
      return box;
    }
    var field = el("div", null, "sige-field");
    var label = el("label", control.label);
    label.htmlFor = id;
    var input;
    if (control.kind === "select") {
      input = el("select");
      input.appendChild(new Option(this.page.texts.choose, ""));
      control.choices.forEach(function (c) { input.appendChild(new Option(c, c)); });
    } else {
      input = el("input");
      input.type = "text";
      input.autocomplete = "off";
      input.spellcheck = false;
    }
    input.id = id;
    field.appendChild(label);
    field.appendChild(input);
    box.appendChild(field);
    return box;
  };

  Card.prototype.response = function () {
    var nodes = this.controls.querySelectorAll(".sige-control");
    var values = this.q.form.controls.map(function (control, i) {
      if (control.kind === "choice") {
        var picked = [];
        Array.prototype.forEach.call(nodes[i].querySelectorAll("input"), function (input) {
          if (input.checked) picked.push(control.choices[Number(input.value)][0]);
        });
        return control.multiple ? picked : (picked.length ? picked[0] : null);
      }
      return nodes[i].querySelector("input, select").value;
    });
    return root.SigeGrading.formResponse(this.q.form, values);
  };

  Card.prototype.grade = function () {
    return root.SigeGrading.grade(this.q, this.response(), this.page.settings);
  };

  Card.prototype.lock = function () {
    Array.prototype.forEach.call(this.controls.querySelectorAll("input, select"), function (c) { c.disabled = true; });
    this.submitButton.hidden = true;
  };

  /* Verdict, details, key, 解析, 原文依据 (and ``extra`` lines), then 下一题 with the focus on it. */
  Card.prototype.showResult = function (result, extra, nextText) {
    var settings = this.page.settings;
    var box = this.feedback;
    box.textContent = "";
    box.dataset.verdict = result.verdict;
    var head = el("p", null, "sige-verdict sige-" + result.verdict);
    head.appendChild(el("strong", settings.symbols[result.verdict] + " " + settings.verdicts[result.verdict]));
    head.appendChild(document.createTextNode(say(settings.texts.score, { score: format(result.score), points: format(result.points) })));
    box.appendChild(head);
    (extra || []).forEach(function (line) { box.appendChild(el("p", line, "sige-card-extra")); });
    var list = el("ul");
    result.details.forEach(function (d) { list.appendChild(el("li", d)); });
    box.appendChild(list);
    if (nextText === undefined) return;
    appendKey(box, this.q, settings);
    this.lock();
    this.nextButton.textContent = nextText;
    this.nextButton.hidden = false;
    this.nextButton.focus();
  };

  function appendKey(box, q, settings) {
    var texts = settings.texts;
    box.appendChild(labelled("p", texts.answer, q.answer_text));
    box.appendChild(labelled("p", texts.explanation, q.explanation));
    box.appendChild(labelled("blockquote", texts.source, q.source, "sige-source"));
  }

  function Bar(node) {
    this.meter = node.querySelector(".sige-bar-meter");
    this.text = node.querySelector(".sige-bar-text");
  }

  Bar.prototype.set = function (done, total, text) {
    this.meter.max = Math.max(total, 1);
    this.meter.value = done;
    this.text.textContent = text;
  };

  /* ------------------------------------------------------------ 逐题练习 */
  function setUpPractice(app, page, store) {
    var texts = page.texts;
    var chapter = app.querySelector(".sige-filter-chapter");
    var measure = app.querySelector(".sige-filter-measure");
    var bar = new Bar(app.querySelector(".sige-bar"));
    var note = app.querySelector(".sige-mode-note");
    var card = new Card(app.querySelector(".sige-card"), page);
    var measureOf = {};
    page.pillars.forEach(function (p) { p.measures.forEach(function (m) { measureOf[m.id] = String(p.number); }); });

    function key() {
      return chapter.value + "|" + measure.value;
    }

    function chosen() {
      return page.questions.filter(function (q) {
        return (!chapter.value || String(q.pillar) === chapter.value) && (!measure.value || q.measure === measure.value);
      });
    }

    function position() {
      var at = section(store.data).practice.positions[key()];
      return typeof at === "number" && at >= 0 ? Math.floor(at) : 0;
    }

    function limitMeasures() {
      Array.prototype.forEach.call(measure.options, function (option) {
        option.hidden = option.disabled = !!option.value && !!chapter.value && measureOf[option.value] !== chapter.value;
      });
      if (measure.selectedOptions.length && measure.selectedOptions[0].disabled) measure.value = "";
    }

    function render(focus) {
      var list = chosen();
      var at = position();
      if (!list.length || at >= list.length) {
        card.node.hidden = true;
        note.textContent = list.length ? texts.all_done : texts.empty_filter;
        bar.set(list.length, list.length, "");
        return;
      }
      note.textContent = "";
      var heading = say(texts.position, { n: at + 1, total: list.length });
      bar.set(at, list.length, heading);
      card.show(list[at], heading, focus);
    }

    function move(to) {
      var k = key();
      store.change(function (data) {
        var s = section(data);
        s.practice.positions[k] = to;
        s.practice.filter = { chapter: chapter.value, measure: measure.value };
      });
    }

    card.onSubmit = function () {
      var q = card.q;
      var result = card.grade();
      if (result.verdict === "unanswered") {
        card.showResult(result);
        return;
      }
      var time = now();
      store.change(function (data) {
        data.answers[q.id] = { answer: result.response, verdict: result.verdict, score: result.score,
                               points: result.points, time: time };
        if (WRONG[result.verdict]) noteWrong(data, q, result.response, result.verdict, "answers", time, texts);
      });
      card.showResult(result, [], texts.next);
    };
    card.onNext = function () {
      move(position() + 1);
      render(true);
    };
    app.querySelector(".sige-restart").addEventListener("click", function () {
      move(0);
      render(true);
    });
    [chapter, measure].forEach(function (select) {
      select.addEventListener("change", function () {
        limitMeasures();
        move(position());
        render(false);
      });
    });
    var saved = section(store.data).practice.filter;
    if (isObject(saved)) {
      chapter.value = isString(saved.chapter) ? saved.chapter : "";
      if (chapter.value !== saved.chapter) chapter.value = "";
      limitMeasures();
      measure.value = isString(saved.measure) ? saved.measure : "";
      if (measure.value !== saved.measure) measure.value = "";
    }
    limitMeasures();
    render(false);
  }

  /* ------------------------------------------------------------ 挑战答题 */
  function setUpChallenge(app, page, store) {
    var texts = page.texts;
    var rule = page.rule;
    var start = app.querySelector(".sige-c-start");
    var play = app.querySelector(".sige-c-play");
    var resultArea = app.querySelector(".sige-c-result");
    var bar = new Bar(play.querySelector(".sige-bar"));
    var seedLine = play.querySelector(".sige-c-seed");
    var meter = play.querySelector(".sige-timer-meter");
    var clock = play.querySelector(".sige-timer-text");
    var alertLine = play.querySelector(".sige-timer-alert");
    var card = new Card(play.querySelector(".sige-card"), page);
    var timer = null;
    var roundId = "";

    function rounds() {
      return section(store.data).rounds.filter(function (r) { return isObject(r) && r.kind === "challenge"; });
    }

    function current() {
      var mine = section(store.data).rounds.filter(function (r) { return isObject(r) && r.id === roundId; });
      return mine[0] || null;
    }

    function questionsOf(round) {
      var drawn = page.rounds.filter(function (r) { return r.seed === round.seed; })[0];
      return drawn ? drawn.questions.map(function (change) { return Object.assign({}, page.byId[change.id], change); }) : [];
    }

    function showOnly(part) {
      start.hidden = part !== start;
      play.hidden = part !== play;
      resultArea.hidden = part !== resultArea;
    }

    function stopTimer() {
      if (timer !== null) root.clearInterval(timer);
      timer = null;
    }

    function elapsed(round) {
      return (Date.now() - Date.parse(round.asked)) / 1000;
    }

    function tick() {
      var round = current();
      if (!round) return stopTimer();
      var left = Math.max(0, rule.seconds - elapsed(round));
      var whole = Math.ceil(left);
      meter.value = left / rule.seconds;
      var text = say(texts.timer, { seconds: whole });
      if (clock.textContent !== text) clock.textContent = text;
      WARN_AT.forEach(function (mark) {
        if (whole === mark && alertLine.dataset.said !== String(mark)) {
          alertLine.dataset.said = String(mark);
          alertLine.textContent = say(texts.timer_warning, { seconds: mark });
        }
      });
      if (left <= 0) answer(true);
    }

    function begin() {
      var played = rounds().length;
      var seed = page.rounds[played % page.rounds.length].seed;
      var drawn = questionsOf({ seed: seed });
      roundId = "challenge-" + Date.now().toString(36);
      store.change(function (data) {
        var s = section(data);
        s.rounds.push({ id: roundId, kind: "challenge", seed: seed, started: now(), finished: "",
                        questions: drawn.map(function (q) { return q.id; }), answers: [], points: 0,
                        asked: now(), asked_index: 0 });
        if (s.rounds.length > MAX_ROUNDS) s.rounds.splice(0, s.rounds.length - MAX_ROUNDS);
      });
      ask(true);
    }

    /* Show the round's next question (resuming its countdown when it was already on screen). */
    function ask(focus) {
      stopTimer();
      var round = current();
      var list = questionsOf(round);
      var at = round.answers.length;
      if (at >= list.length) return finish();
      if (round.asked_index !== at || !isString(round.asked)) {
        store.change(function (data) {
          section(data).rounds.forEach(function (r) {
            if (isObject(r) && r.id === roundId) {
              r.asked = now();
              r.asked_index = at;
            }
          });
        });
        round = current();
      }
      showOnly(play);
      var earned = sum(score(round.answers, rule));
      var streak = 0;
      score(round.answers, rule).forEach(function (p) { streak = p ? streak + 1 : 0; });
      bar.set(at, list.length, say(texts.round_status, { n: at + 1, total: list.length, points: earned, streak: streak }));
      seedLine.textContent = say(texts.round_seed, { seed: round.seed });
      alertLine.textContent = "";
      delete alertLine.dataset.said;
      card.show(list[at], say(texts.position, { n: at + 1, total: list.length }), focus);
      tick();
      if (current() && current().answers.length === at) timer = root.setInterval(tick, 250);
    }

    function answer(timedOut) {
      var round = current();
      if (!round || card.submitButton.hidden) return;
      var at = round.answers.length;
      var q = card.q;
      var result = card.grade();
      if (!timedOut && result.verdict === "unanswered") {
        card.showResult(result);
        return;
      }
      stopTimer();
      var seconds = timedOut ? rule.seconds : Math.min(rule.seconds, Math.round(elapsed(round) * 10) / 10);
      var time = now();
      var points = 0;
      store.change(function (data) {
        section(data).rounds.forEach(function (r) {
          if (!isObject(r) || r.id !== roundId || r.finished || !Array.isArray(r.answers) || r.answers.length !== at) return;
          r.answers.push({ question: q.id, answer: result.response, verdict: result.verdict, score: result.score,
                           seconds: seconds, time: time });
          var each = score(r.answers, rule);
          r.answers[at].points = points = each[at];
          r.points = sum(each);
          if (WRONG[result.verdict]) noteWrong(data, q, result.response, result.verdict, "challenge", time, texts);
        });
      });
      var extra = [say(texts.earned, { points: points })];
      if (timedOut) extra.unshift(texts.time_up);
      var last = at + 1 >= round.questions.length;
      card.showResult(result, extra, last ? texts.finish : texts.next);
    }

    function finish() {
      stopTimer();
      store.change(function (data) {
        var s = section(data);
        s.rounds.forEach(function (r) {
          if (isObject(r) && r.id === roundId && !r.finished) {
            r.finished = now();
            s.points += typeof r.points === "number" ? r.points : 0;
          }
        });
      });
      showResult(true);
    }

    function showResult(focus) {
      var round = current();
      var list = questionsOf(round);
      var each = score(round.answers, rule);
      var right = round.answers.filter(function (a) { return a.verdict === "correct"; }).length;
      var seconds = sum(round.answers.map(function (a) { return typeof a.seconds === "number" ? a.seconds : 0; }));
      resultArea.querySelector(".sige-c-summary").textContent =
        say(texts.round_result, { points: sum(each), right: right, total: list.length, seconds: format(seconds) }) +
        " " + say(texts.round_seed, { seed: round.seed });
      var review = resultArea.querySelector(".sige-review");
      review.textContent = "";
      list.forEach(function (q, i) {
        var given = round.answers[i] || {};
        var item = el("li");
        item.appendChild(el("p", q.stem, "sige-card-stem"));
        item.appendChild(labelled("p", texts.your_answer, readable(q, given.answer, texts)));
        var verdict = given.verdict || "unanswered";
        var line = el("p", null, "sige-verdict sige-" + verdict);
        line.appendChild(el("strong", page.settings.symbols[verdict] + " " + page.settings.verdicts[verdict]));
        line.appendChild(document.createTextNode("　" + say(texts.earned, { points: each[i] || 0 })));
        item.appendChild(line);
        appendKey(item, q, page.settings);
        review.appendChild(item);
      });
      showOnly(resultArea);
      if (focus) resultArea.querySelector(".sige-c-result-head").focus();
    }

    card.onSubmit = function () { answer(false); };
    card.onNext = function () { ask(true); };
    app.querySelector(".sige-c-begin").addEventListener("click", begin);
    app.querySelector(".sige-c-again").addEventListener("click", begin);
    /* A stored round this page can show: its seed shipped here, drawing the questions it recorded. */
    function playable(round) {
      if (!round || !isString(round.id) || !Array.isArray(round.answers) || !Array.isArray(round.questions)) return false;
      var ids = questionsOf(round).map(function (q) { return q.id; });
      return ids.length > 0 && ids.join(" ") === round.questions.join(" ");
    }

    var last = rounds().slice(-1)[0];
    if (playable(last)) {
      roundId = last.id;
      if (last.finished) showResult(false);
      else ask(false);
    } else {
      showOnly(start);
    }
  }

  /* ------------------------------------------------------------ 错题本与学习记录 */
  function setUpWrongBook(app, page, store) {
    var texts = page.texts;
    var need = page.retry_need;
    var bookArea = app.querySelector(".sige-wb");
    var retryArea = app.querySelector(".sige-wb-retry-area");
    var retryButton = app.querySelector(".sige-wb-retry");
    var bar = new Bar(retryArea.querySelector(".sige-bar"));
    var card = new Card(retryArea.querySelector(".sige-card"), page);

    function open() {
      var book = section(store.data).wrong_book;
      return Object.keys(book).filter(function (id) {
        return page.byId[id] && isObject(book[id]) && !(book[id].right >= need);
      }).sort(function (a, b) { return String(book[b].time) < String(book[a].time) ? -1 : 1; });
    }

    function queue() {
      var retry = section(store.data).retry;
      return isObject(retry) && Array.isArray(retry.queue) ? retry.queue.filter(function (id) { return page.byId[id]; }) : [];
    }

    function showBook() {
      var book = section(store.data).wrong_book;
      var ids = open();
      app.querySelector(".sige-wb-count").textContent = ids.length ? say(texts.wrong_count, { count: ids.length }) : texts.wrong_empty;
      retryButton.hidden = !ids.length;
      var list = app.querySelector(".sige-wb-list");
      list.textContent = "";
      ids.forEach(function (id) {
        var q = page.byId[id];
        var entry = book[id];
        var item = el("li");
        item.appendChild(el("p", q.stem, "sige-card-stem"));
        item.appendChild(el("p", say(texts.wrong_meta, {
          source: page.sources[entry.source] || "", verdict: page.settings.verdicts[entry.verdict] || "",
          time: String(entry.time).slice(0, 10), right: entry.right || 0, need: need }), "sige-card-meta"));
        item.appendChild(labelled("p", texts.your_answer, isString(entry.shown) ? entry.shown : ""));
        var more = el("details");
        more.appendChild(el("summary", texts.show_key));
        appendKey(more, q, page.settings);
        item.appendChild(more);
        list.appendChild(item);
      });
      showRecord();
    }

    function showRetry(focus) {
      var ids = queue();
      if (!ids.length) {
        retryArea.hidden = true;
        bookArea.hidden = false;
        showBook();
        return;
      }
      bookArea.hidden = true;
      retryArea.hidden = false;
      bar.set(0, ids.length, say(texts.retry_status, { left: ids.length, need: need }));
      card.show(page.byId[ids[0]], say(texts.position, { n: 1, total: ids.length }), focus);
    }

    function setQueue(ids) {
      store.change(function (data) { section(data).retry = { queue: ids }; });
    }

    card.onSubmit = function () {
      var q = card.q;
      var result = card.grade();
      if (result.verdict === "unanswered") {
        card.showResult(result);
        return;
      }
      var right = 0;
      store.change(function (data) {
        var s = section(data);
        var retry = isObject(s.retry) && Array.isArray(s.retry.queue) ? s.retry : (s.retry = { queue: [] });
        if (retry.queue[0] !== q.id) return;
        retry.queue.shift();
        var entry = s.wrong_book[q.id];
        if (!isObject(entry)) return;
        if (result.verdict === "correct") {
          entry.right = Math.min(need, (entry.right || 0) + 1);
        } else {
          noteWrong(data, q, result.response, result.verdict, "retry", now(), texts);
          entry = s.wrong_book[q.id];
        }
        right = entry.right;
        if (right < need) retry.queue.push(q.id);
      });
      var extra = [right >= need ? say(texts.retry_cleared, { need: need }) : say(texts.retry_left, { right: right, need: need })];
      card.showResult(result, extra, queue().length ? texts.next : texts.retry_finish);
    };
    card.onNext = function () {
      if (queue().length) return showRetry(true);
      setQueue([]);
      showRetry(false);
      app.querySelector("#sige-wb-head").focus();
    };
    retryButton.addEventListener("click", function () {
      setQueue(open());
      showRetry(true);
    });
    app.querySelector(".sige-wb-stop").addEventListener("click", function () {
      setQueue([]);
      showRetry(false);
      retryButton.focus();
    });

    function table(selector, rows) {
      var node = app.querySelector(selector);
      var body = node.querySelector("tbody");
      body.textContent = "";
      rows.forEach(function (cells) {
        var tr = el("tr");
        var th = el("th", cells[0]);
        th.scope = "row";
        tr.appendChild(th);
        cells.slice(1).forEach(function (c) { tr.appendChild(el("td", c)); });
        body.appendChild(tr);
      });
      node.hidden = !rows.length;
    }

    /* Every recorded attempt: the chapters' latest answers, the assessment's attempts, the challenges. */
    function attempts(data) {
      var found = [];
      Object.keys(data.answers).forEach(function (id) {
        if (isObject(data.answers[id])) found.push([id, data.answers[id].verdict]);
      });
      var tests = isObject(data.assessment) && Array.isArray(data.assessment.attempts) ? data.assessment.attempts : [];
      tests.forEach(function (t) {
        if (isObject(t) && isObject(t.answers)) Object.keys(t.answers).forEach(function (id) {
          if (isObject(t.answers[id])) found.push([id, t.answers[id].verdict]);
        });
      });
      section(data).rounds.forEach(function (r) {
        if (isObject(r) && Array.isArray(r.answers)) r.answers.forEach(function (a) {
          if (isObject(a)) found.push([a.question, a.verdict]);
        });
      });
      return found.filter(function (f) { return page.byId[f[0]] && f[1] !== "unanswered"; });
    }

    function rate(counts) {
      return [counts[1] + " / " + counts[0], say(texts.percent, { percent: Math.round(100 * counts[1] / counts[0]) })];
    }

    function showRecord() {
      var data = store.data;
      var s = section(data);
      var done = s.rounds.filter(function (r) { return isObject(r) && r.kind === "challenge" && r.finished; });
      app.querySelector(".sige-record-points").textContent = say(texts.points_total, { points: s.points, rounds: done.length });
      var all = attempts(data);
      var right = all.filter(function (f) { return f[1] === "correct"; }).length;
      app.querySelector(".sige-record-answers").textContent = all.length ?
        say(texts.answered_total, { attempts: all.length, right: right, percent: Math.round(100 * right / all.length) }) : texts.no_record;
      var byPillar = {};
      var byMeasure = {};
      all.forEach(function (f) {
        var q = page.byId[f[0]];
        [[byPillar, String(q.pillar)], [byMeasure, q.measure]].forEach(function (pair) {
          if (!pair[1]) return;
          var c = pair[0][pair[1]] || (pair[0][pair[1]] = [0, 0]);
          c[0] += 1;
          c[1] += f[1] === "correct" ? 1 : 0;
        });
      });
      var pillarRows = [];
      var measureRows = [];
      page.pillars.forEach(function (p) {
        if (byPillar[p.number]) pillarRows.push([p.title].concat(rate(byPillar[p.number])));
        p.measures.forEach(function (m) {
          if (byMeasure[m.id]) measureRows.push([m.label].concat(rate(byMeasure[m.id])));
        });
      });
      table(".sige-record-pillars", pillarRows);
      table(".sige-record-measures", measureRows);
      table(".sige-record-rounds", done.slice(-10).reverse().map(function (r) {
        var answers = Array.isArray(r.answers) ? r.answers : [];
        var ok = answers.filter(function (a) { return isObject(a) && a.verdict === "correct"; }).length;
        return [String(r.finished).slice(0, 16).replace("T", " "), String(r.seed),
                ok + " / " + (Array.isArray(r.questions) ? r.questions.length : answers.length), String(r.points)];
      }));
    }

    root.addEventListener("storage", function (event) {
      if (event.key === store.key && retryArea.hidden) {
        store.fresh();
        showBook();
      }
    });
    showRetry(false);
  }

  var MODES = { practice: setUpPractice, challenge: setUpChallenge, wrongbook: setUpWrongBook };

  function setUp(container) {
    var node = container.querySelector("script.sige-practice-data");
    var page = null;
    try {
      page = JSON.parse(node.textContent);
    } catch (err) {
      return;
    }
    if (!root.SigeGrading || !MODES[page.mode]) return;
    page.byId = {};
    page.questions.forEach(function (q) { page.byId[q.id] = q; });
    page.counter = 0;
    var store = new Store(page.settings);
    syncWrong(store, page.byId, page.texts);
    var app = container.querySelector(".sige-practice-app");
    container.querySelector(".sige-noscript").hidden = true;
    app.hidden = false;
    MODES[page.mode](app, page, store);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".sige-practice"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
