/* The grading core: one registered grader per question type, each mirroring the grader of
   exercises/questions/types (shared vectors keep them in step, in Node and in Chromium). A grader gets
   the question's payload (renderers/pagescript.py) through ``tools`` and the learner's response. */
import { textRules } from "./sige-text.js";
import { chars, has, isObject, isString, say } from "./sige-util.js";

const GRADERS = new Map();

export function register(type, grader) {
  GRADERS.set(type, grader);
}

/* The question types the page can grade. */
export function gradedTypes() {
  return Array.from(GRADERS.keys()).sort();
}

function asList(value, limit) {
  return Array.isArray(value) ? value.slice(0, limit) : [];
}

function makeTools(q, settings) {
  const rules = textRules(settings, q.t2s || {});
  const texts = q.texts || {};
  const keys = settings.option_keys;
  const text = (name, values) => say(texts[name], values);
  function result(fraction, response, details) {
    const share = Math.min(Math.max(fraction, 0), 1);
    const verdict = share >= 1 ? "correct" : share <= 0 ? "incorrect" : "partial";
    const score = Math.round(q.points * share * 100) / 100;
    return { question_id: q.id, verdict, score, points: q.points, response, details };
  }
  function unanswered(response) {
    return {
      question_id: q.id,
      verdict: "unanswered",
      score: 0,
      points: q.points,
      response,
      details: [text("unanswered")],
    };
  }
  /* An option key ("b", "Ｂ") or an index; anything else is no answer. */
  function optionKey(value) {
    if (typeof value === "boolean") return null;
    if (Number.isInteger(value) && value >= 0 && value < q.options) return keys[value];
    if (!isString(value) || value.length > 8) return null;
    const key = rules.strip(value.normalize("NFKC")).toUpperCase();
    return chars(key).length === 1 && keys.slice(0, q.options).includes(key) ? key : null;
  }
  return { q, text, result, unanswered, optionKey, asList, ...rules };
}

/* Grade ``response`` to question payload ``q``; null for a type without a grader. Never throws. */
export function grade(q, response, settings) {
  const grader = GRADERS.get(q.type);
  if (!grader) return null;
  return grader(makeTools(q, settings), response === undefined ? null : response);
}

register("single", (t, response) => {
  const key = t.optionKey(response);
  if (key === null) return t.unanswered(null);
  const right = key === t.q.answer;
  return t.result(right ? 1 : 0, key, [t.text(right ? "right" : "wrong", { key, answer: t.q.answer })]);
});

register("multiple", (t, response) => {
  const answer = t.q.answer;
  const chosen = Array.from(new Set(t.asList(response, t.q.max_picks).map(t.optionKey).filter(Boolean))).sort();
  if (!chosen.length) return t.unanswered([]);
  const wrong = chosen.filter((k) => !answer.includes(k));
  const missed = answer.filter((k) => !chosen.includes(k));
  const details = [t.text("chosen", { chosen: chosen.join("、"), answer: answer.join("、") })];
  if (wrong.length) details.push(t.text("extra", { keys: wrong.join("、") }));
  if (missed.length) details.push(t.text("missed", { keys: missed.join("、") }));
  const fraction = wrong.length ? 0 : (answer.length - missed.length) / answer.length;
  return t.result(fraction, chosen, details);
});

register("truefalse", (t, response) => {
  let value = null;
  if (typeof response === "boolean") value = response;
  else if (isString(response) && response.length <= 64) {
    const said = t.normalize(response);
    if (t.q.true_words.includes(said)) value = true;
    else if (t.q.false_words.includes(said)) value = false;
  }
  if (value === null) return t.unanswered(null);
  const right = value === t.q.answer;
  const words = { said: t.text(value ? "true" : "false"), truth: t.text(t.q.answer ? "true" : "false") };
  return t.result(right ? 1 : 0, value, [t.text(right ? "right" : "wrong", words)]);
});

register("fill", (t, response) => {
  const n = t.q.blanks.length;
  const typed = (isString(response) ? [response] : t.asList(response, n)).map(t.clip);
  while (typed.length < n) typed.push("");
  if (!typed.some((x) => t.normalize(x))) return t.unanswered(typed);
  let right = 0;
  const details = typed.map((given, i) => {
    const variants = t.q.blanks[i];
    const ok = variants.map(t.normalize).includes(t.normalize(given));
    right += ok ? 1 : 0;
    const shown = t.strip(given) || t.text("empty");
    return t.text(ok ? "right" : "wrong", { number: i + 1, given: shown, expected: variants[0] });
  });
  return t.result(right / n, typed, details);
});

register("order", (t, response) => {
  const items = t.q.items;
  const given = t.asList(response, items.length).map(t.clip);
  if (!given.some(Boolean)) return t.unanswered(given);
  const right = given.filter((g, i) => t.normalize(g) === t.normalize(items[i])).length;
  const details = [t.text("placed", { right, total: items.length }), t.text("order", { order: items.join(" → ") })];
  return t.result(right / items.length, given, details);
});

register("match", (t, response) => {
  const pairs = t.q.pairs;
  const given = isObject(response) ? response : {};
  const cleaned = Object.create(null); // a typed "__proto__" stays a key
  Object.keys(given)
    .slice(0, 2 * pairs.length)
    .forEach((key) => {
      cleaned[t.clip(key)] = t.clip(given[key]);
    });
  if (!Object.values(cleaned).some(Boolean)) return t.unanswered(cleaned);
  let right = 0;
  const details = pairs.map(([left, expected]) => {
    const chosen = has(cleaned, left) ? cleaned[left] : "";
    const ok = t.normalize(chosen) === t.normalize(expected);
    right += ok ? 1 : 0;
    return t.text(ok ? "right" : "wrong", { left, chosen: chosen || t.text("none"), expected });
  });
  return t.result(right / pairs.length, cleaned, details);
});
