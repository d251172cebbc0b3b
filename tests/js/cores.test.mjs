// The pure cores in Node: challenge scoring on hostile stored data, the option shuffle, text rules.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { score, streakOf, total } from "../../exercises/static/sige-challenge.js";
import { readable } from "../../exercises/static/sige-form.js";
import { gradedTypes } from "../../exercises/static/sige-grading.js";
import { tooDeep } from "../../exercises/static/sige-salvage.js";
import { fnv1a, shuffledKeys } from "../../exercises/static/sige-shuffle.js";
import { localTime, since } from "../../exercises/static/sige-util.js";

const settings = JSON.parse(readFileSync(process.env.SIGE_SETTINGS, "utf8"));
const rule = { count: 10, seconds: 30, per_correct: 10, streak_bonus: 5, bonus_cap: 4 };

test("challenge scoring takes strings, objects, numbers and non-finite times as wrong", () => {
  const right = { verdict: "correct", seconds: 3 };
  const answers = [
    right,
    right,
    { verdict: "correct", seconds: "3" },
    right,
    { verdict: "correct", seconds: Infinity },
    "correct",
    null,
    7,
    { verdict: { toString: () => "correct" }, seconds: 1 },
    right,
    { verdict: "correct", seconds: 30 },
  ];
  assert.deepEqual(score(answers, rule), [10, 15, 0, 10, 0, 0, 0, 0, 0, 10, 0]);
  assert.equal(total(answers, rule), 45);
  assert.deepEqual(score("not a list", rule), []);
  assert.deepEqual(score({ length: 3 }, rule), []);
  assert.equal(streakOf([right, right, right], rule), 3);
});

test("the option shuffle follows contract 2 and keeps every key", () => {
  assert.equal(fnv1a(""), 2166136261);
  assert.equal(fnv1a("a"), 0xe40c292c);
  const keys = ["A", "B", "C", "D", "E"];
  const order = shuffledKeys(keys, "learner", "p1-01");
  assert.deepEqual([...order].sort(), keys);
  assert.deepEqual(shuffledKeys(keys, "learner", "p1-01"), order);
  const orders = new Set(Array.from({ length: 20 }, (_, i) => shuffledKeys(keys, `s${i}`, "p1-01").join("")));
  assert.ok(orders.size > 5);
});

test("every page-gradable type has a grader", () => {
  assert.deepEqual(gradedTypes(), ["fill", "match", "multiple", "order", "single", "truefalse"]);
});

test("a match answer reads item → value", () => {
  const q = {
    form: {
      shape: "by_label",
      controls: [
        { kind: "select", label: "甲" },
        { kind: "select", label: "乙" },
      ],
    },
  };
  assert.equal(readable(q, { 甲: "一", 乙: "" }, "（未作答）"), "甲 → 一；");
  assert.equal(readable(q, null, "（未作答）"), "（未作答）");
});

test("depth is measured without recursion", () => {
  let deep = 1;
  for (let i = 0; i < 100000; i += 1) deep = [deep];
  assert.equal(tooDeep(deep, settings.max_depth), true);
  assert.equal(tooDeep({ a: [1, { b: 2 }] }, settings.max_depth), false);
});

test("times show in local time; a time that is no time is no crash", () => {
  const shown = localTime("2026-12-04T14:44:00+00:00");
  const moment = new Date("2026-12-04T14:44:00Z");
  assert.equal(shown.slice(11), `${String(moment.getHours()).padStart(2, "0")}:44`);
  assert.equal(localTime({}), "");
  assert.equal(since("not a date"), null);
  assert.equal(since(["2026"]), null);
});
