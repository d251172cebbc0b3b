/* 错题本与学习记录: the wrong answers from every source, re-tried until right twice, and the record of
   points, accuracy per pillar and measure and the latest challenges (times in the learner's local time). */
import { Bar } from "./sige-bar.js";
import { appendKey, Card } from "./sige-card.js";
import { el, labelled } from "./sige-dom.js";
import { allAnswers, noteWrong, rightCount, section } from "./sige-modes-data.js";
import { isObject, isString, localTime, nowIso, say } from "./sige-util.js";

function fillTable(node, rows) {
  const body = node.querySelector("tbody");
  body.textContent = "";
  for (const cells of rows) {
    const tr = el("tr");
    const th = el("th", cells[0]);
    th.scope = "row";
    tr.appendChild(th);
    for (const c of cells.slice(1)) tr.appendChild(el("td", c));
    body.appendChild(tr);
  }
  node.hidden = !rows.length;
}

class WrongBook {
  constructor(app, page, store) {
    Object.assign(this, { app, page, store, texts: page.texts, need: page.retry_need });
    this.bookArea = app.querySelector(".sige-wb");
    this.retryArea = app.querySelector(".sige-wb-retry-area");
    this.retryButton = app.querySelector(".sige-wb-retry");
    this.bar = new Bar(this.retryArea.querySelector(".sige-bar"));
    this.card = new Card(this.retryArea.querySelector(".sige-card"), page);
    this.card.onSubmit = () => this.submit();
    this.card.onNext = () => this.next();
    this.retryButton.addEventListener("click", () => {
      this.setQueue(this.open());
      this.showRetry(true);
    });
    app.querySelector(".sige-wb-stop").addEventListener("click", () => {
      this.setQueue([]);
      this.showRetry(false);
      this.retryButton.focus();
    });
    store.subscribe(() => {
      if (this.retryArea.hidden) this.showBook();
    });
  }

  /* The questions in the 错题本 not yet right ``need`` times, newest first. */
  open() {
    const book = section(this.store.data).wrong_book;
    const ids = Object.keys(book).filter(
      (id) => this.page.byId[id] && isObject(book[id]) && rightCount(book[id]) < this.need,
    );
    return ids.sort((a, b) => (String(book[b].time) < String(book[a].time) ? -1 : 1));
  }

  queue() {
    const retry = section(this.store.data).retry;
    return isObject(retry) && Array.isArray(retry.queue) ? retry.queue.filter((id) => this.page.byId[id]) : [];
  }

  setQueue(ids) {
    this.store.change((data) => {
      section(data).retry = { queue: ids };
    });
  }

  entryItem(id, entry) {
    const { page, texts } = this;
    const q = page.byId[id];
    const item = el("li");
    item.appendChild(el("p", q.stem, "sige-card-stem"));
    const meta = {
      source: page.sources[entry.source] || "",
      verdict: page.settings.verdicts[entry.verdict] || "",
      time: localTime(entry.time),
      right: rightCount(entry),
      need: this.need,
    };
    item.appendChild(el("p", say(texts.wrong_meta, meta), "sige-card-meta"));
    item.appendChild(labelled("p", texts.your_answer, isString(entry.shown) ? entry.shown : ""));
    const more = el("details");
    more.appendChild(el("summary", texts.show_key));
    appendKey(more, q, page.settings);
    item.appendChild(more);
    return item;
  }

  showBook() {
    const book = section(this.store.data).wrong_book;
    const ids = this.open();
    this.app.querySelector(".sige-wb-count").textContent = ids.length
      ? say(this.texts.wrong_count, { count: ids.length })
      : this.texts.wrong_empty;
    this.retryButton.hidden = !ids.length;
    const list = this.app.querySelector(".sige-wb-list");
    list.textContent = "";
    for (const id of ids) list.appendChild(this.entryItem(id, book[id]));
    this.showRecord();
  }

  showRetry(focus) {
    const ids = this.queue();
    this.retryArea.hidden = !ids.length;
    this.bookArea.hidden = !!ids.length;
    if (!ids.length) return this.showBook();
    this.bar.set(0, ids.length, say(this.texts.retry_status, { left: ids.length, need: this.need }));
    this.card.show(this.page.byId[ids[0]], say(this.texts.position, { n: 1, total: ids.length }), focus);
    return undefined;
  }

  /* One re-try: right counts toward leaving the 错题本, wrong starts the count again. */
  retried(q, result) {
    let right = 0;
    this.store.change((data) => {
      const s = section(data);
      const retry = isObject(s.retry) && Array.isArray(s.retry.queue) ? s.retry : (s.retry = { queue: [] });
      if (retry.queue[0] !== q.id || !isObject(s.wrong_book[q.id])) return;
      retry.queue.shift();
      if (result.verdict === "correct")
        s.wrong_book[q.id].right = Math.min(this.need, rightCount(s.wrong_book[q.id]) + 1);
      else noteWrong(data, q, result.response, result.verdict, "retry", nowIso(), this.texts);
      right = rightCount(s.wrong_book[q.id]);
      if (right < this.need) retry.queue.push(q.id);
    });
    return right;
  }

  submit() {
    const result = this.card.grade();
    if (result.verdict === "unanswered") return this.card.showResult(result);
    const right = this.retried(this.card.q, result);
    const extra = [
      right >= this.need
        ? say(this.texts.retry_cleared, { need: this.need })
        : say(this.texts.retry_left, { right, need: this.need }),
    ];
    this.card.showResult(result, extra, this.queue().length ? this.texts.next : this.texts.retry_finish);
    return undefined;
  }

  next() {
    if (this.queue().length) return this.showRetry(true);
    this.setQueue([]);
    this.showRetry(false);
    this.app.querySelector("#sige-wb-head").focus();
    return undefined;
  }

  /* Every recorded answer (chapters' latest, the assessment's attempts, the rounds; time-outs count). */
  attempts() {
    return allAnswers(this.store.data)
      .filter(([id, entry]) => this.page.byId[id] && isString(entry.verdict) && entry.verdict !== "unanswered")
      .map(([id, entry]) => [id, entry.verdict]);
  }

  rate(counts) {
    return [
      `${counts[1]} / ${counts[0]}`,
      say(this.texts.percent, { percent: Math.round((100 * counts[1]) / counts[0]) }),
    ];
  }

  showRecord() {
    const s = section(this.store.data);
    const done = s.rounds.filter((r) => isObject(r) && r.kind === "challenge" && r.finished);
    this.app.querySelector(".sige-record-points").textContent = say(this.texts.points_total, {
      points: s.points,
      rounds: done.length,
    });
    const all = this.attempts();
    const right = all.filter((f) => f[1] === "correct").length;
    this.app.querySelector(".sige-record-answers").textContent = all.length
      ? say(this.texts.answered_total, { attempts: all.length, right, percent: Math.round((100 * right) / all.length) })
      : this.texts.no_record;
    this.showRates(all);
    fillTable(
      this.app.querySelector(".sige-record-rounds"),
      done
        .slice(-10)
        .reverse()
        .map((r) => {
          const answers = Array.isArray(r.answers) ? r.answers : [];
          const ok = answers.filter((a) => isObject(a) && a.verdict === "correct").length;
          const count = Array.isArray(r.questions) ? r.questions.length : answers.length;
          return [
            localTime(r.finished),
            String(r.seed),
            `${ok} / ${count}`,
            String(Number.isFinite(r.points) ? r.points : 0),
          ];
        }),
    );
  }

  showRates(all) {
    const byPillar = {};
    const byMeasure = {};
    for (const [id, verdict] of all) {
      const q = this.page.byId[id];
      for (const [table, key] of [
        [byPillar, String(q.pillar)],
        [byMeasure, q.measure],
      ]) {
        if (!key) continue;
        const c = table[key] || (table[key] = [0, 0]);
        c[0] += 1;
        c[1] += verdict === "correct" ? 1 : 0;
      }
    }
    const pillarRows = [];
    const measureRows = [];
    for (const p of this.page.pillars) {
      if (byPillar[p.number]) pillarRows.push([p.title, ...this.rate(byPillar[p.number])]);
      for (const m of p.measures) if (byMeasure[m.id]) measureRows.push([m.label, ...this.rate(byMeasure[m.id])]);
    }
    fillTable(this.app.querySelector(".sige-record-pillars"), pillarRows);
    fillTable(this.app.querySelector(".sige-record-measures"), measureRows);
  }
}

export function setUpWrongBook(app, page, store) {
  new WrongBook(app, page, store).showRetry(false);
}
