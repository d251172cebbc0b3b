/* The phone-first modes' part of the results document (practice_modes): pure functions on a document
   that make missing or mistyped parts whole and keep the 错题本 in step with every wrong answer. */
import { readable } from "./sige-form.js";
import { isObject, isString } from "./sige-util.js";

/* The modes' section of ``data``, made whole where missing or of the wrong type. */
export function section(data) {
  if (!isObject(data.practice_modes)) data.practice_modes = {};
  const s = data.practice_modes;
  if (!Array.isArray(s.rounds)) s.rounds = [];
  if (!isObject(s.wrong_book)) s.wrong_book = {};
  if (typeof s.points !== "number" || !Number.isFinite(s.points) || s.points < 0) s.points = 0;
  if (!isObject(s.practice)) s.practice = {};
  if (!isObject(s.practice.positions)) s.practice.positions = {};
  return s;
}

/* A stored count of correct re-tries as a whole number from 0 (anything else counts as 0). */
export function rightCount(entry) {
  const right = isObject(entry) ? entry.right : 0;
  return Number.isInteger(right) && right > 0 ? right : 0;
}

/* Put a wrong answer in the 错题本 (its re-tries start again). */
export function noteWrong(data, q, answer, verdict, source, time, texts) {
  section(data).wrong_book[q.id] = {
    answer,
    shown: readable(q, answer, texts.unanswered_text),
    verdict,
    source,
    time,
    right: 0,
  };
}

/* The answers every source holds: [question id, entry, source] (chapters, assessment, rounds). */
export function allAnswers(data) {
  const found = [];
  const answers = isObject(data.answers) ? data.answers : {};
  for (const [id, entry] of Object.entries(answers)) found.push([id, entry, "answers"]);
  const tests = isObject(data.assessment) && Array.isArray(data.assessment.attempts) ? data.assessment.attempts : [];
  for (const t of tests) {
    if (isObject(t) && isObject(t.answers))
      for (const [id, entry] of Object.entries(t.answers)) found.push([id, entry, "assessment"]);
  }
  const rounds =
    isObject(data.practice_modes) && Array.isArray(data.practice_modes.rounds) ? data.practice_modes.rounds : [];
  for (const r of rounds) {
    if (!isObject(r) || !Array.isArray(r.answers)) continue;
    for (const a of r.answers) if (isObject(a) && isString(a.question)) found.push([a.question, a, "challenge"]);
  }
  return found.filter(([, entry]) => isObject(entry));
}

/* Wrong answers (chapters, assessment, rounds) that the 错题本 does not have yet, newest per question. */
export function unseenWrong(data, byId, wrong) {
  const book =
    isObject(data.practice_modes) && isObject(data.practice_modes.wrong_book) ? data.practice_modes.wrong_book : {};
  const found = {};
  for (const [id, entry, source] of allAnswers(data)) {
    if (!byId[id] || !wrong.includes(entry.verdict) || !isString(entry.time)) continue;
    const known = book[id];
    if (isObject(known) && isString(known.time) && known.time >= entry.time) continue;
    if (found[id] && found[id].time >= entry.time) continue;
    found[id] = { id, answer: entry.answer, verdict: entry.verdict, time: entry.time, source };
  }
  return Object.values(found);
}

export function syncWrong(store, page) {
  if (!unseenWrong(store.fresh(), page.byId, page.wrong).length) return;
  store.change((data) => {
    for (const w of unseenWrong(data, page.byId, page.wrong)) {
      noteWrong(data, page.byId[w.id], w.answer, w.verdict, w.source, w.time, page.texts);
    }
  });
}
