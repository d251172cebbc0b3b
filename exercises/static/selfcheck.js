/* In-page self-check of the 四个突出 course.
 *
 * SigeGrading mirrors exercises/questions/grading.py (shared test vectors keep the two in step). The page
 * part reveals the hidden forms rendered by exercises/renderers/html.py, grades answers, keeps
 * progress in localStorage and exports it in the notebooks' results format (progress.py).
 */
(function (root) {
  "use strict";

  var OPTION_KEYS = "ABCDEF";
  var DEFAULTS = {
    max_text: 2000,
    drop: "，。、；：？！“”‘’\"'（）()《》〈〉【】[]「」『』,.;:?!·—-…~～ ",
  };

  function chars(text) {
    return Array.from(text);
  }

  function isString(value) {
    return typeof value === "string";
  }

  function isInt(value) {
    return typeof value === "number" && Number.isInteger(value);
  }

  function asList(value) {
    return Array.isArray(value) ? value.slice() : [];
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
    var maxText = settings.max_text || DEFAULTS.max_text;
    var drop = settings.drop || DEFAULTS.drop;
    var t2s = q.t2s || {};

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

    function result(fraction, response, details) {
      fraction = Math.min(Math.max(fraction, 0), 1);
      var verdict = fraction >= 1 ? "correct" : fraction <= 0 ? "incorrect" : "partial";
      var score = Math.round(q.points * fraction * 100) / 100;
      return { question_id: q.id, verdict: verdict, score: score, points: q.points, response: response, details: details };
    }

    function unanswered(response, why) {
      return { question_id: q.id, verdict: "unanswered", score: 0, points: q.points, response: response, details: [why] };
    }

    function optionKey(value) {
      if (typeof value === "boolean") return null;
      if (isInt(value) && value >= 0 && value < q.options) return OPTION_KEYS[value];
      if (isString(value)) {
        var key = strip(value.normalize("NFKC")).toUpperCase();
        if (chars(key).length === 1 && OPTION_KEYS.slice(0, q.options).indexOf(key) >= 0) return key;
      }
      return null;
    }

    function asBool(value) {
      if (typeof value === "boolean") return value;
      if (isString(value)) {
        var text = normalize(value);
        if (["对", "正确", "是", "true", "√", "t"].indexOf(text) >= 0) return true;
        if (["错", "错误", "否", "false", "×", "f"].indexOf(text) >= 0) return false;
      }
      return null;
    }

    var graders = {
      single: function (response) {
        var key = optionKey(response);
        if (key === null) return unanswered(null, "请选择一个选项。");
        var right = key === q.answer;
        var detail = right ? "你选了 " + key + "。" : "你选了 " + key + "，正确答案是 " + q.answer + "。";
        return result(right ? 1 : 0, key, [detail]);
      },
      multiple: function (response) {
        var seen = {};
        asList(response).forEach(function (v) {
          var k = optionKey(v);
          if (k) seen[k] = true;
        });
        var chosen = Object.keys(seen).sort();
        if (!chosen.length) return unanswered([], "请至少选择一个选项。");
        var wrong = chosen.filter(function (k) { return q.answer.indexOf(k) < 0; });
        var missed = q.answer.filter(function (k) { return chosen.indexOf(k) < 0; });
        var details = ["你选了 " + chosen.join("、") + "；正确答案是 " + q.answer.join("、") + "。"];
        if (wrong.length) details.push("多选了 " + wrong.join("、") + "。");
        if (missed.length) details.push("漏选了 " + missed.join("、") + "。");
        var fraction = wrong.length ? 0 : (q.answer.length - missed.length) / q.answer.length;
        return result(fraction, chosen, details);
      },
      truefalse: function (response) {
        var value = asBool(response);
        if (value === null) return unanswered(null, "请判断“正确”或“错误”。");
        var right = value === q.answer;
        var said = value ? "正确" : "错误";
        var truth = q.answer ? "正确" : "错误";
        var detail = right ? "你判断为“" + said + "”。" : "你判断为“" + said + "”，这句话其实是“" + truth + "”的。";
        return result(right ? 1 : 0, value, [detail]);
      },
      fill: function (response) {
        var n = q.blanks.length;
        var given = isString(response) ? [response] : asList(response);
        var typed = given.slice(0, n).map(clip);
        while (typed.length < n) typed.push("");
        if (!typed.some(function (t) { return normalize(t); })) return unanswered(typed, "请填写答案。");
        var right = 0;
        var details = typed.map(function (text, i) {
          var variants = q.blanks[i];
          var ok = variants.map(normalize).indexOf(normalize(text)) >= 0;
          right += ok ? 1 : 0;
          var shown = strip(text) || "（空）";
          return "第 " + (i + 1) + " 空：你填“" + shown + "”，" + (ok ? "正确" : "应为“" + variants[0] + "”") + "。";
        });
        return result(right / n, typed, details);
      },
      order: function (response) {
        var n = q.items.length;
        var given = asList(response).map(clip).slice(0, n);
        if (!given.some(function (g) { return g; })) return unanswered(given, "请为每个位置选择一项。");
        var right = 0;
        given.forEach(function (g, i) {
          if (normalize(g) === normalize(q.items[i])) right += 1;
        });
        var details = ["放对了 " + right + " / " + n + " 个位置。", "正确顺序：" + q.items.join(" → ")];
        return result(right / n, given, details);
      },
      match: function (response) {
        var n = q.pairs.length;
        var given = response !== null && typeof response === "object" && !Array.isArray(response) ? response : {};
        var cleaned = {};
        Object.keys(given).slice(0, 2 * n).forEach(function (k) {
          cleaned[clip(k)] = clip(given[k]);
        });
        if (!Object.keys(cleaned).some(function (k) { return cleaned[k]; })) {
          return unanswered(cleaned, "请为每一项选择对应的内容。");
        }
        var right = 0;
        var details = q.pairs.map(function (pair) {
          var chosen = Object.prototype.hasOwnProperty.call(cleaned, pair[0]) ? cleaned[pair[0]] : "";
          var ok = normalize(chosen) === normalize(pair[1]);
          right += ok ? 1 : 0;
          return pair[0] + " → " + (chosen || "（未选）") + "：" + (ok ? "正确" : "应为“" + pair[1] + "”") + "。";
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

  var SigeGrading = { grade: grade };
  root.SigeGrading = SigeGrading;
  if (typeof module !== "undefined" && module.exports) module.exports = SigeGrading;

  if (typeof document === "undefined") return;

  /* ---------------------------------------------------------------- page part */

  var SYMBOLS = { correct: "✔", partial: "◐", incorrect: "✘", unanswered: "？" };

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

  function Store(settings) {
    this.key = settings.storage_key;
    this.version = settings.course_version;
    this.message = "";
    this.data = this.load();
  }

  Store.prototype.empty = function () {
    return {
      format: "sige-course-results", version: 1, course_version: this.version, learner: "", learner_id: "",
      updated: now(), answers: {},
    };
  };

  Store.prototype.load = function () {
    var text = null;
    try {
      text = root.localStorage.getItem(this.key);
    } catch (err) {
      this.message = "浏览器不允许保存答题记录；判分照常进行，但离开本页后记录不会保留。";
      return this.empty();
    }
    if (text === null) return this.empty();
    var data = null;
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = null;
    }
    if (!data || data.format !== "sige-course-results" || data.version !== 1 || typeof data.answers !== "object" || !data.answers) {
      this.message = "本浏览器中保存的答题记录无法读取，已从头记录。";
      return this.empty();
    }
    return data;
  };

  Store.prototype.save = function () {
    this.data.updated = now();
    try {
      root.localStorage.setItem(this.key, JSON.stringify(this.data));
    } catch (err) {
      this.message = "答题记录未能保存到浏览器；判分结果仍显示在本页。";
    }
  };

  Store.prototype.record = function (result) {
    this.data.answers[result.question_id] = {
      answer: result.response, verdict: result.verdict, score: result.score, points: result.points, time: now(),
    };
    this.save();
  };

  Store.prototype.forget = function (ids) {
    var answers = this.data.answers;
    ids.forEach(function (id) { delete answers[id]; });
    this.save();
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

  /* results_panel.clean_name and export_name: the names the notebook's export uses. */
  function cleanName(value) {
    var words = clipText(value, DEFAULTS.max_text).split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/);
    return chars(words.filter(Boolean).join(" ")).slice(0, 60).join("");
  }

  function safeFilename(value) {
    var kept = chars(cleanName(value).normalize("NFKC")).map(function (ch) {
      return /^[\p{L}\p{N}_-]$/u.test(ch) ? ch : "_";
    });
    return chars(kept.join("").replace(/_+/g, "_").replace(/^_+|_+$/g, "")).slice(0, 40).join("");
  }

  function exportName(learner, learnerId) {
    var parts = [safeFilename(learner), safeFilename(learnerId)].filter(Boolean);
    return "成绩-" + (parts.join("-") || "未署名") + ".json";
  }

  function format(number) {
    return String(Math.round(number * 100) / 100);
  }

  function Question(section, settings, onChange) {
    this.section = section;
    this.form = section.querySelector("form.sige-check");
    this.q = readJson(this.form && this.form.querySelector("script.sige-data"));
    this.settings = settings;
    this.onChange = onChange;
    this.result = null;
  }

  Question.prototype.controls = function () {
    return Array.prototype.slice.call(this.form.querySelectorAll(".sige-controls input, .sige-controls select"));
  };

  Question.prototype.response = function () {
    var q = this.q;
    var controls = this.controls();
    if (q.type === "single") {
      var picked = controls.filter(function (c) { return c.checked; })[0];
      return picked ? picked.value : null;
    }
    if (q.type === "truefalse") {
      var said = controls.filter(function (c) { return c.checked; })[0];
      return said ? said.value === "true" : null;
    }
    if (q.type === "multiple") {
      return controls.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    }
    if (q.type === "fill" || q.type === "order") {
      return controls.map(function (c) { return c.value; });
    }
    var answer = {};
    q.pairs.forEach(function (pair, i) { answer[pair[0]] = controls[i] ? controls[i].value : ""; });
    return answer;
  };

  Question.prototype.restore = function (answer) {
    var q = this.q;
    var controls = this.controls();
    if (q.type === "single" || q.type === "multiple" || q.type === "truefalse") {
      var wanted = (Array.isArray(answer) ? answer : [answer]).map(String);
      controls.forEach(function (c) { c.checked = wanted.indexOf(c.value) >= 0; });
    } else if (q.type === "fill" || q.type === "order") {
      controls.forEach(function (c, i) { c.value = Array.isArray(answer) && isString(answer[i]) ? answer[i] : ""; });
    } else if (answer && typeof answer === "object") {
      q.pairs.forEach(function (pair, i) {
        if (controls[i]) controls[i].value = isString(answer[pair[0]]) ? answer[pair[0]] : "";
      });
    }
  };

  Question.prototype.show = function (result) {
    var box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    box.dataset.verdict = result.verdict;
    var head = el("p", null, "sige-verdict sige-" + result.verdict);
    head.appendChild(el("strong", SYMBOLS[result.verdict] + " " + this.settings.verdicts[result.verdict]));
    head.appendChild(document.createTextNode("　得分 " + format(result.score) + " / " + format(result.points)));
    box.appendChild(head);
    var list = el("ul");
    result.details.forEach(function (d) { list.appendChild(el("li", d)); });
    box.appendChild(list);
    if (result.verdict === "unanswered") return;
    box.appendChild(labelled("答案：", this.q.answer_text));
    box.appendChild(labelled("解析：", this.q.explanation));
    var quote = el("blockquote", null, "sige-source");
    quote.appendChild(el("strong", "原文依据："));
    quote.appendChild(document.createTextNode(this.q.source));
    box.appendChild(quote);
    box.appendChild(el("p", "计分规则：" + this.q.rule, "sige-rule"));
  };

  Question.prototype.submit = function () {
    var result = grade(this.q, this.response(), this.settings);
    this.show(result);
    this.result = result.verdict === "unanswered" ? null : result;
    this.onChange(this, this.result);
  };

  Question.prototype.reset = function () {
    this.form.reset();
    var box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    delete box.dataset.verdict;
    this.result = null;
    this.onChange(this, null);
  };

  Question.prototype.enable = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.form.querySelector(".sige-retry").addEventListener("click", function () { self.reset(); });
    Array.prototype.forEach.call(this.form.querySelectorAll("input, select, button"), function (c) { c.disabled = false; });
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
      total.textContent = "本组练习得分：" + format(score) + " / " + format(points) +
        "（可自动判分的 " + questions.length + " 题中已答 " + answered + " 题）";
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

    function changed(item, result) {
      if (result) store.record(result);
      else store.forget([item.q.id]);
      refresh();
    }

    Array.prototype.forEach.call(container.querySelectorAll("section.sige-question"), function (section) {
      var item = new Question(section, settings, changed);
      if (!item.form || !item.q) return;
      item.enable();
      var saved = store.data.answers[item.q.id];
      if (saved && typeof saved === "object") {
        item.restore(saved.answer);
        var result = grade(item.q, item.response(), settings);
        if (result.verdict !== "unanswered") {
          item.show(result);
          item.result = result;
        }
      }
      questions.push(item);
    });
    if (!questions.length) return;

    [["learner", ".sige-learner"], ["learner_id", ".sige-learner-id"]].forEach(function (pair) {
      var input = panel.querySelector(pair[1]);
      input.value = isString(store.data[pair[0]]) ? store.data[pair[0]] : "";
      input.addEventListener("change", function () {
        store.data[pair[0]] = cleanName(input.value);
        input.value = store.data[pair[0]];
        store.save();
        refresh();
      });
    });

    panel.querySelector(".sige-export").addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(store.data, null, 1)], { type: "application/json" });
      var link = el("a");
      link.href = URL.createObjectURL(blob);
      link.download = exportName(store.data.learner, store.data.learner_id);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
    panel.querySelector(".sige-reset-all").addEventListener("click", function () {
      questions.forEach(function (item) {
        item.form.reset();
        var box = item.form.querySelector(".sige-feedback");
        box.textContent = "";
        delete box.dataset.verdict;
        item.result = null;
      });
      store.forget(questions.map(function (item) { return item.q.id; }));
      refresh();
    });
    Array.prototype.forEach.call(panel.querySelectorAll("button, input"), function (c) { c.disabled = false; });
    panel.hidden = false;
    refresh();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".sige-questions"), setUpList);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
