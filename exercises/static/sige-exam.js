/* The 综合测评 as an exam. Before 交卷 the page holds nothing of the key (renderers/html.py leaves it out);
   answers in progress are kept as a draft beside the results document and come back after a reload.
   On 交卷 the key is fetched — from `course serve` where it serves the book (the <meta> it adds), else
   from the book's key file — the paper is graded and the attempt stored; the review shows the answers,
   解析 and 原文依据. 再测一次 draws another of the papers shipped with the page, options shuffled. */
import { all, el, readJson } from "./sige-dom.js";
import { isBlank } from "./sige-form.js";
import { grade } from "./sige-grading.js";
import { showTotal } from "./sige-checklist.js";
import { wirePanel } from "./sige-panel.js";
import { QuestionItem } from "./sige-question.js";
import { answerEntry } from "./sige-store.js";
import { format, isObject, nowIso, say } from "./sige-util.js";

const DRAFT = "assessment";

/* The key of ``paper``'s questions (payloads by id), once its ``answers`` are handed in: where
   `course serve` serves the book it grades them and sends the key (the <meta> it adds names the address);
   the static book has the key in a file of its own. */
export async function fetchKey(exam, paper, answers) {
  const server = document.querySelector('meta[name="sige-assessment-key"]');
  const response = server
    ? await fetch(server.getAttribute("content"), {
        method: "POST",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ paper: paper.paper, answers }),
      })
    : await fetch(new URL(exam.key_file, import.meta.url));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  const key = server && isObject(body) ? body.key : body;
  if (!isObject(key) || !paper.questions.every((id) => isObject(key[id]))) throw new Error("incomplete key");
  return key;
}

/* The responses of a stored attempt, by question id. */
function attemptResponses(attempt) {
  const answers = isObject(attempt.answers) ? attempt.answers : {};
  return Object.fromEntries(Object.entries(answers).map(([id, entry]) => [id, isObject(entry) ? entry.answer : null]));
}

function attemptsOf(data) {
  const section = data.assessment;
  return isObject(section) && Array.isArray(section.attempts) ? section.attempts.filter(isObject) : [];
}

function showBreakdown(panel, items, settings) {
  const table = panel.querySelector(".sige-breakdown");
  const rows = new Map();
  for (const item of items) {
    const row = rows.get(String(item.q.pillar)) || { score: 0, points: 0 };
    row.points += item.q.points;
    if (item.result) row.score += item.result.score;
    rows.set(String(item.q.pillar), row);
  }
  const body = table.querySelector("tbody");
  body.textContent = "";
  for (const key of Array.from(rows.keys()).sort()) {
    const row = rows.get(key);
    const share = row.points ? row.score / row.points : 0;
    const tr = el("tr");
    const th = el("th", (settings.pillars || {})[key] || key);
    th.scope = "row";
    tr.append(th, el("td", `${format(row.score)} / ${format(row.points)}`));
    const meter = el("meter");
    Object.assign(meter, { min: 0, max: 1, value: share });
    meter.setAttribute("aria-hidden", "true");
    const cell = el("td");
    cell.append(meter, el("span", ` ${Math.round(share * 100)}%`));
    tr.appendChild(cell);
    body.appendChild(tr);
  }
  table.hidden = rows.size < 2 || !items.some((item) => item.result);
}

class Exam {
  constructor(container, settings, store) {
    this.exam = readJson(container.querySelector("script.sige-exam"));
    this.settings = settings;
    this.store = store;
    this.panel = container.querySelector(".sige-progress");
    this.list = container;
    this.byId = new Map();
    for (const section of all(container, "section.sige-question")) {
      const item = new QuestionItem(section, settings);
      this.byId.set(item.id, item);
    }
    this.sections = [];
    this.items = [];
    this.draft = null;
  }

  paperOf(name) {
    return this.exam.papers.find((p) => p.paper === name) || this.exam.papers[0];
  }

  /* Show the questions of ``paper`` in its order, numbered, options in the order of ``shuffle``. */
  lay(paper, shuffle) {
    for (const item of this.byId.values()) {
      item.section.hidden = true;
      if (item.usable) item.clear();
    }
    this.sections = paper.questions.map((id) => this.byId.get(id)).filter(Boolean);
    this.items = this.sections.filter((item) => item.usable);
    this.sections.forEach((item, i) => {
      if (item.usable) item.shuffle(shuffle);
      else item.showKey(null);
      item.number(say(this.exam.number, { n: i + 1 }));
      item.section.hidden = false;
      this.list.insertBefore(item.section, this.panel);
    });
  }

  /* The option order of attempt ``number``: from the learner's seed, so a review shows what was seen. */
  shuffleOf(number) {
    return `${this.store.seed()}/${number}`;
  }

  /* A new draft: the next paper (another than the last one when there is a choice), fresh options. */
  newDraft() {
    const count = this.exam.papers.length;
    const last = attemptsOf(this.store.data).slice(-1)[0];
    const previous = last ? this.exam.papers.findIndex((p) => p.paper === last.paper) : -1;
    let index = last ? Math.floor(Math.random() * count) : 0;
    if (count > 1 && index === previous) index = (index + 1) % count;
    const number = attemptsOf(this.store.data).length + 1;
    return { paper: this.exam.papers[index].paper, shuffle: this.shuffleOf(number), started: nowIso(), answers: {} };
  }

  saveDraft() {
    const answers = {};
    for (const item of this.items) answers[item.q.id] = item.response();
    this.draft = { ...this.draft, answers };
    this.store.saveDraft(DRAFT, this.draft);
  }

  open(draft) {
    this.draft = draft;
    this.store.saveDraft(DRAFT, draft);
    this.lay(this.paperOf(draft.paper), draft.shuffle);
    for (const item of this.items)
      if (isObject(draft.answers) && draft.answers[item.q.id] !== undefined) item.restore(draft.answers[item.q.id]);
    this.setLocked(false);
    this.refresh();
  }

  setLocked(locked) {
    for (const item of this.items) item.lock(locked);
    this.panel.querySelector(".sige-hand-in").disabled = locked;
    this.panel.querySelector(".sige-new-attempt").hidden = !locked;
  }

  refresh() {
    showTotal(this.panel, this.items, this.settings, this.store);
    showBreakdown(this.panel, this.items, this.settings);
  }

  notice(text) {
    this.panel.querySelector(".sige-notice").textContent = text;
  }

  /* Show attempt ``attempt`` graded with ``key``: answers, 解析 and 原文依据 under each question. */
  review(attempt, key) {
    const number = /^attempt-(\d+)$/.exec(attempt.id || "");
    this.lay(this.paperOf(attempt.paper), number ? this.shuffleOf(number[1]) : "");
    for (const item of this.items) {
      const saved = isObject(attempt.answers) ? attempt.answers[item.q.id] : null;
      if (isObject(saved)) item.restore(saved.answer);
      const q = { ...item.q, ...key[item.q.id] };
      const result = grade(q, item.response(), this.settings);
      item.show(result, q);
      item.result = result.verdict === "unanswered" ? null : result;
    }
    for (const item of this.sections) if (!item.usable) item.showKey(key[item.id]);
    this.setLocked(true);
    this.refresh();
  }

  async handIn() {
    const responses = this.items.map((item) => item.response());
    const blank = responses.filter(isBlank);
    if (blank.length && !window.confirm(say(this.settings.texts.confirm_hand_in, { count: blank.length }))) return;
    this.saveDraft();
    const button = this.panel.querySelector(".sige-hand-in");
    button.disabled = true;
    let key;
    try {
      key = await fetchKey(
        this.exam,
        this.paperOf(this.draft.paper),
        Object.fromEntries(this.items.map((item, i) => [item.q.id, responses[i]])),
      );
    } catch {
      button.disabled = false;
      this.notice(this.settings.texts.key_unavailable);
      return;
    }
    const time = nowIso();
    const answers = {};
    this.items.forEach((item, i) => {
      const q = { ...item.q, ...key[item.q.id] };
      answers[q.id] = answerEntry(grade(q, responses[i], this.settings), q, time);
    });
    const attempt = { id: "", paper: this.draft.paper, started: this.draft.started, submitted: time, answers };
    this.store.change((data) => {
      const section = isObject(data.assessment) ? data.assessment : (data.assessment = {});
      if (!Array.isArray(section.attempts)) section.attempts = [];
      attempt.id = `attempt-${section.attempts.length + 1}`;
      section.attempts.push(attempt);
    });
    this.store.saveDraft(DRAFT, null);
    this.draft = null;
    this.review(attempt, key);
    this.items[0]?.section.querySelector(".sige-feedback")?.focus?.();
  }

  async start() {
    for (const item of this.byId.values()) {
      if (!item.usable) continue;
      item.enable(
        () => {},
        () => {},
      );
      item.form.querySelector(".sige-actions").hidden = true;
    }
    this.list.addEventListener("input", () => this.draft && this.saveDraft());
    this.list.addEventListener("change", () => this.draft && this.saveDraft());
    wirePanel(this.panel, this.store, this.settings, () => this.refresh());
    this.panel.querySelector(".sige-hand-in").addEventListener("click", () => this.handIn());
    this.panel.querySelector(".sige-new-attempt").addEventListener("click", () => this.open(this.newDraft()));
    this.panel.hidden = false;
    const draft = this.store.draft(DRAFT);
    const last = attemptsOf(this.store.data).slice(-1)[0];
    if (draft && typeof draft.paper === "string") return this.open(draft);
    if (!last) return this.open(this.newDraft());
    this.setLocked(true);
    try {
      this.review(last, await fetchKey(this.exam, this.paperOf(last.paper), attemptResponses(last)));
    } catch {
      this.notice(this.settings.texts.key_unavailable);
    }
  }
}

export function setUpExam(container, settings, store) {
  const exam = new Exam(container, settings, store);
  if (exam.exam && exam.byId.size) exam.start();
}
