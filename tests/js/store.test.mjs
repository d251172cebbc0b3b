// The results store (exercises/static/sige-store.js) in Node: two writers, blocked and full storage,
// a corrupt document, an answer nested 5 000 levels deep. The page settings come from Python
// (SIGE_SETTINGS names a JSON file of exercises.renderers.pagescript.page_settings()).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ResultsStore } from "../../exercises/static/sige-store.js";

const settings = JSON.parse(readFileSync(process.env.SIGE_SETTINGS, "utf8"));

/* A Storage kept in a Map; ``full`` makes every write fail as a full quota does. */
class MemoryStorage {
  constructor(full = false) {
    this.items = new Map();
    this.full = full;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    if (this.full) throw new Error("QuotaExceededError");
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const entry = (verdict = "correct") => ({
  answer: "A",
  verdict,
  score: 1,
  points: 1,
  time: "2026-12-04T08:00:00+00:00",
});
const open = (storage, target = new EventTarget()) => new ResultsStore(settings, { storage, target });

test("two writers keep each other's answers, and the other tab hears of them", () => {
  const storage = new MemoryStorage();
  const targetB = new EventTarget();
  const a = open(storage);
  const b = open(storage, targetB);
  const heard = [];
  b.subscribe((data) => heard.push(Object.keys(data.answers).sort()));
  a.change((data) => (data.answers.q1 = entry()));
  b.change((data) => (data.answers.q2 = entry("incorrect")));
  a.change((data) => (data.answers.q3 = entry()));
  const stored = JSON.parse(storage.getItem(settings.storage_key));
  assert.deepEqual(Object.keys(stored.answers).sort(), ["q1", "q2", "q3"]);
  assert.equal(stored.format, settings.format);
  assert.equal(stored.version, settings.version);
  assert.match(stored.seed, /^[0-9a-f]{16}$/);
  targetB.dispatchEvent(Object.assign(new Event("storage"), { key: settings.storage_key }));
  assert.deepEqual(heard, [["q1", "q2", "q3"]]);
  assert.equal(a.message, "");
});

test("blocked storage: the learner is told, the document lives in memory", () => {
  const store = open(null);
  store.change((data) => (data.answers.q1 = entry()));
  store.change((data) => (data.answers.q2 = entry()));
  assert.deepEqual(Object.keys(store.fresh().answers).sort(), ["q1", "q2"]);
  assert.equal(store.message, settings.texts.storage_blocked);
  store.saveDraft("assessment", { paper: "seed-1", answers: { q1: "B" } });
  assert.equal(store.draft("assessment").answers.q1, "B");
});

test("storage that throws on reading counts as blocked", () => {
  const storage = {
    getItem() {
      throw new Error("SecurityError");
    },
    setItem() {
      throw new Error("SecurityError");
    },
  };
  const store = open(storage);
  store.change((data) => (data.answers.q1 = entry()));
  assert.ok(store.fresh().answers.q1);
  assert.equal(store.message, settings.texts.storage_blocked);
});

test("a full storage: answers kept for this visit and the learner is told", () => {
  const store = open(new MemoryStorage(true));
  store.change((data) => (data.answers.q1 = entry()));
  assert.ok(store.data.answers.q1);
  assert.equal(store.message, settings.texts.storage_failed);
});

test("a corrupt document is set aside, not lost, and saving goes on", () => {
  const storage = new MemoryStorage();
  storage.setItem(settings.storage_key, "{not json");
  const store = open(storage);
  assert.equal(store.message, settings.texts.storage_unreadable);
  assert.deepEqual(store.data.answers, {});
  store.change((data) => (data.answers.q1 = entry()));
  assert.equal(storage.getItem(settings.backup_key), "{not json");
  assert.ok(JSON.parse(storage.getItem(settings.storage_key)).answers.q1);
});

test("an answer nested 5 000 levels deep costs only itself", () => {
  const deep = '{"deep":'.repeat(5000) + '"x"' + "}".repeat(5000);
  const good = JSON.stringify(entry());
  const text = `{"format":"${settings.format}","version":1,"answers":{"good":${good},"bad":{"answer":${deep}}}}`;
  const storage = new MemoryStorage();
  storage.setItem(settings.storage_key, text);
  const store = open(storage);
  assert.deepEqual(Object.keys(store.data.answers), ["good"]);
  assert.ok(store.message.includes("1"), store.message);
  store.change((data) => (data.answers.later = entry()));
  const reread = open(storage);
  assert.deepEqual(Object.keys(reread.data.answers).sort(), ["good", "later"]);
  assert.equal(storage.getItem(settings.backup_key), text);
  assert.equal(reread.message, "");
});

test("mistyped sections are repaired entry by entry", () => {
  const stored = {
    format: settings.format,
    version: 2,
    learner: ["x"],
    answers: { a: entry(), b: 3, c: null },
    assessment: { attempts: [{ id: "attempt-1", paper: "seed-1", answers: {} }, "bad"] },
    practice_modes: { points: "7", rounds: [null, { id: "r", answers: 5 }], wrong_book: { q: { right: "2" }, z: [] } },
  };
  const storage = new MemoryStorage();
  storage.setItem(settings.storage_key, JSON.stringify(stored));
  const { data } = open(storage);
  assert.deepEqual(Object.keys(data.answers), ["a"]);
  assert.equal(data.learner, "");
  assert.equal(data.assessment.attempts.length, 1);
  assert.equal(data.practice_modes.points, 0);
  assert.equal(data.practice_modes.rounds.length, 1);
  assert.deepEqual(Object.keys(data.practice_modes.wrong_book), ["q"]);
});

test("a document of another program is not read, and set aside", () => {
  const storage = new MemoryStorage();
  storage.setItem(settings.storage_key, JSON.stringify({ format: "other", version: 99, answers: {} }));
  const store = open(storage);
  assert.equal(store.message, settings.texts.storage_unreadable);
  store.change(() => {});
  assert.equal(JSON.parse(storage.getItem(settings.backup_key)).format, "other");
});
