/* The results store: the only code that reads or writes the learner's results document in the browser
   (localStorage, key from the page settings). Every change re-reads the stored document and changes only
   what it is about, so two tabs never undo each other; another tab's change reaches subscribers through
   the "storage" event. Where storage is blocked or full the document lives in memory for this visit and
   the store says so; a document it cannot use is set aside under the backup key, never silently lost. */
import { readable, salvage } from "./sige-salvage.js";
import { isObject, nowIso, randomHex, say } from "./sige-util.js";

/* The page's localStorage, or null where the browser blocks it. */
export function pageStorage() {
  try {
    const storage = globalThis.localStorage;
    storage.getItem("sige-probe");
    return storage || null;
  } catch {
    return null;
  }
}

export class ResultsStore {
  /* ``storage``: a Storage (null: blocked); ``target``: where "storage" events arrive (window). */
  constructor(settings, { storage = pageStorage(), target = globalThis.window, now = nowIso } = {}) {
    this.settings = settings;
    this.key = settings.storage_key;
    this.storage = storage;
    this.now = now;
    this.notices = new Map();
    this.listeners = [];
    if (!storage) this.notices.set("storage_blocked", {});
    this.data = this.read();
    if (target) target.addEventListener("storage", (event) => this.arrived(event));
  }

  /* What the learner should know about storage, in one line (empty when all is well). */
  get message() {
    const texts = this.settings.texts;
    return Array.from(this.notices, ([name, values]) => say(texts[name], values)).join(" ");
  }

  empty() {
    const s = this.settings;
    return {
      format: s.format,
      version: s.version,
      course_version: s.course_version,
      learner: "",
      learner_id: "",
      updated: this.now(),
      answers: {},
    };
  }

  /* The stored document, salvaged; an empty one when there is none. */
  read() {
    let text = null;
    try {
      text = this.storage ? this.storage.getItem(this.key) : null;
    } catch {
      this.storage = null;
      this.notices.set("storage_blocked", {});
    }
    if (text === null) return this.storage ? this.empty() : this.data || this.empty();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!readable(parsed, this.settings)) return this.setAside(text, "storage_unreadable", {});
    const { data, dropped } = salvage(parsed, this.settings);
    if (dropped) this.setAside(text, "storage_salvaged", { count: dropped });
    return data;
  }

  /* Keep ``text`` under the backup key (once) and tell the learner; an empty document goes on. */
  setAside(text, notice, values) {
    this.notices.set(notice, values);
    try {
      if (this.storage.getItem(this.settings.backup_key) !== text) this.storage.setItem(this.settings.backup_key, text);
    } catch {
      /* no room for the backup: the notice still tells the learner */
    }
    return this.empty();
  }

  /* The document as stored now (another tab may have changed it). */
  fresh() {
    if (this.storage) this.data = this.read();
    return this.data;
  }

  /* Re-read, let ``apply`` change the document, write it back. */
  change(apply) {
    const data = this.fresh();
    apply(data);
    data.updated = this.now();
    data.version = this.settings.version;
    if (typeof data.seed !== "string") data.seed = randomHex();
    this.write(data);
    return data;
  }

  write(data) {
    if (!this.storage) return;
    try {
      this.storage.setItem(this.key, JSON.stringify(data));
      this.notices.delete("storage_failed");
    } catch {
      this.notices.set("storage_failed", {});
    }
  }

  /* The learner's seed for option order, made and stored once. */
  seed() {
    if (typeof this.fresh().seed !== "string") this.change(() => {});
    return this.data.seed;
  }

  /* Call ``listener(data)`` when another tab changes the document. */
  subscribe(listener) {
    this.listeners.push(listener);
  }

  arrived(event) {
    if (event.key !== this.key && event.key !== null) return;
    this.fresh();
    for (const listener of this.listeners) listener(this.data);
  }

  /* A draft kept beside the document (the 综合测评 in progress), or null. */
  draft(name) {
    try {
      const value = JSON.parse(this.storage ? this.storage.getItem(`${this.settings.draft_key}:${name}`) : "null");
      return isObject(value) ? value : this.memoryDraft?.[name] || null;
    } catch {
      return this.memoryDraft?.[name] || null;
    }
  }

  saveDraft(name, value) {
    this.memoryDraft = { ...this.memoryDraft, [name]: value };
    try {
      const key = `${this.settings.draft_key}:${name}`;
      if (value === null) this.storage?.removeItem(key);
      else this.storage?.setItem(key, JSON.stringify(value));
    } catch {
      this.notices.set("storage_failed", {});
    }
  }
}

/* One answer as the results format keeps it (with the version of the question the learner saw). */
export function answerEntry(result, q, time) {
  const entry = { answer: result.response, verdict: result.verdict, score: result.score, points: result.points, time };
  if (typeof q.question_version === "string") entry.question_version = q.question_version;
  return entry;
}

const stores = new Map();

/* The page's one store of ``settings.storage_key`` (however many scripts and lists the page has). */
export function storeFor(settings) {
  if (!stores.has(settings.storage_key)) stores.set(settings.storage_key, new ResultsStore(settings));
  return stores.get(settings.storage_key);
}

/* The store the page made for ``key`` (the hand-in script's way to the document), or null. */
export function storeByKey(key) {
  return stores.get(key) || null;
}
