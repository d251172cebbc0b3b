/* Reading a stored results document the page did not write itself: whatever it holds, keep every entry
   the page can use and set aside (count) the others, so one bad or deeply nested entry never costs the
   rest of the document nor every later save. */
import { isObject, isString } from "./sige-util.js";

const SECTIONS = ["answers", "assessment", "practice_modes"];

/* Whether ``value`` nests deeper than ``limit`` levels (checked without recursion). */
export function tooDeep(value, limit) {
  const stack = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (item === null || typeof item !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

function keepEntries(entries, usable, counter) {
  const kept = {};
  if (!isObject(entries)) {
    if (entries !== undefined) counter.dropped += 1;
    return kept;
  }
  for (const [id, entry] of Object.entries(entries)) {
    if (usable(entry)) kept[id] = entry;
    else counter.dropped += 1;
  }
  return kept;
}

function keepList(list, usable, counter) {
  if (!Array.isArray(list)) {
    if (list !== undefined) counter.dropped += 1;
    return [];
  }
  const kept = list.filter(usable);
  counter.dropped += list.length - kept.length;
  return kept;
}

const MODE_PARTS = ["rounds", "wrong_book", "practice", "retry"];

function keepModes(modes, usable, counter) {
  if (!isObject(modes)) {
    if (modes !== undefined) counter.dropped += 1;
    return undefined;
  }
  const kept = {};
  for (const [name, value] of Object.entries(modes)) {
    if (MODE_PARTS.includes(name) || usable({ value })) kept[name] = value;
    else counter.dropped += 1;
  }
  kept.rounds = keepList(modes.rounds, usable, counter);
  kept.wrong_book = keepEntries(modes.wrong_book, usable, counter);
  for (const name of ["practice", "retry"]) {
    if (name in modes && !usable(modes[name])) {
      delete kept[name];
      counter.dropped += 1;
    }
  }
  if (!(typeof kept.points === "number" && Number.isFinite(kept.points) && kept.points >= 0)) kept.points = 0;
  return kept;
}

/* Whether ``parsed`` is a results document of this course the page can read at all. */
export function readable(parsed, settings) {
  return (
    isObject(parsed) &&
    parsed.format === settings.format &&
    Number.isInteger(parsed.version) &&
    parsed.version >= 1 &&
    parsed.version <= settings.version
  );
}

/* The usable part of a readable document and how many entries were set aside. */
export function salvage(parsed, settings) {
  const counter = { dropped: 0 };
  const usable = (entry) => isObject(entry) && !tooDeep(entry, settings.max_depth);
  const data = { ...parsed, version: settings.version };
  for (const [name, value] of Object.entries(parsed)) {
    if (!SECTIONS.includes(name) && tooDeep(value, settings.max_depth)) {
      delete data[name];
      counter.dropped += 1;
    }
  }
  data.answers = keepEntries(parsed.answers, usable, counter);
  for (const name of ["learner", "learner_id"]) if (!isString(data[name])) data[name] = "";
  if (!isString(data.seed)) delete data.seed;
  if ("assessment" in parsed) {
    const attempts = isObject(parsed.assessment) ? parsed.assessment.attempts : undefined;
    data.assessment = { ...(isObject(parsed.assessment) ? parsed.assessment : {}) };
    data.assessment.attempts = keepList(attempts, usable, counter);
  }
  const modes = keepModes(parsed.practice_modes, usable, counter);
  if (modes) data.practice_modes = modes;
  else delete data.practice_modes;
  return { data, dropped: counter.dropped };
}
