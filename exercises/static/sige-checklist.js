/* A chapter page's exercises (practice): each question graded on 提交 and kept in the results store;
   another tab's answers appear here without touching what is typed but not yet submitted. */
import { all } from "./sige-dom.js";
import { grade } from "./sige-grading.js";
import { wirePanel } from "./sige-panel.js";
import { QuestionItem } from "./sige-question.js";
import { answerEntry } from "./sige-store.js";
import { format, nowIso, say } from "./sige-util.js";

export function showTotal(panel, items, settings, store) {
  let score = 0;
  let points = 0;
  let answered = 0;
  for (const item of items) {
    points += item.q.points;
    if (item.result) {
      score += item.result.score;
      answered += 1;
    }
  }
  panel.querySelector(".sige-total").textContent = say(settings.texts.total, {
    score: format(score),
    points: format(points),
    count: items.length,
    answered,
  });
  panel.querySelector(".sige-notice").textContent = store.message;
}

/* Show the stored answer of ``item`` (graded), unless it is what the question shows already. */
function showEntry(item, entry, settings) {
  const signature = entry && typeof entry === "object" ? JSON.stringify(entry) : null;
  if (signature === item.shown) return;
  item.clear();
  item.shown = signature;
  if (!signature) return;
  item.restore(entry.answer);
  const result = grade(item.q, item.response(), settings);
  if (result.verdict !== "unanswered") {
    item.show(result);
    item.result = result;
  }
}

export function setUpChecklist(container, settings, store) {
  const panel = container.querySelector(".sige-progress");
  const items = all(container, "section.sige-question")
    .map((section) => new QuestionItem(section, settings))
    .filter((item) => item.usable);
  if (!items.length) return;
  const refresh = () => showTotal(panel, items, settings, store);
  const submit = (item) => {
    const result = grade(item.q, item.response(), settings);
    item.show(result);
    item.dirty = false;
    if (result.verdict === "unanswered") return;
    item.result = result;
    const data = store.change((doc) => {
      doc.answers[item.q.id] = answerEntry(result, item.q, nowIso());
    });
    item.shown = JSON.stringify(data.answers[item.q.id]);
    refresh();
  };
  const retry = (item) => {
    item.clear();
    item.shown = null;
    store.change((doc) => delete doc.answers[item.q.id]);
    refresh();
  };
  items.forEach((item) => item.enable(submit, retry));
  items.forEach((item) => showEntry(item, store.data.answers[item.q.id], settings));
  wirePanel(panel, store, settings, refresh);
  panel.querySelector(".sige-reset-all").addEventListener("click", () => {
    if (!window.confirm(say(settings.texts.confirm_reset, { count: items.length }))) return;
    store.change((doc) => items.forEach((item) => delete doc.answers[item.q.id]));
    items.forEach((item) => showEntry(item, null, settings));
    refresh();
  });
  store.subscribe((data) => {
    for (const item of items) if (!item.dirty) showEntry(item, data.answers[item.q.id], settings);
    refresh();
  });
  panel.hidden = false;
  refresh();
}
