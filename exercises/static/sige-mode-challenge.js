/* 挑战答题: timed rounds drawn by seed (shipped with the page), scored by the challenge core. A time-out
   counts as a wrong answer (it reaches the 错题本); each learner's first round is drawn at random. */
import { Bar } from "./sige-bar.js";
import { appendKey, Card } from "./sige-card.js";
import { labelled, el } from "./sige-dom.js";
import { readable } from "./sige-form.js";
import { score, streakOf, total } from "./sige-challenge.js";
import { noteWrong, section } from "./sige-modes-data.js";
import { answerEntry } from "./sige-store.js";
import { format, isObject, isString, nowIso, say, since, sum } from "./sige-util.js";

class ChallengeMode {
  constructor(app, page, store) {
    Object.assign(this, { page, store, texts: page.texts, rule: page.rule, timer: null, roundId: "" });
    this.start = app.querySelector(".sige-c-start");
    this.play = app.querySelector(".sige-c-play");
    this.resultArea = app.querySelector(".sige-c-result");
    this.bar = new Bar(this.play.querySelector(".sige-bar"));
    this.seedLine = this.play.querySelector(".sige-c-seed");
    this.meter = this.play.querySelector(".sige-timer-meter");
    this.clock = this.play.querySelector(".sige-timer-text");
    this.alertLine = this.play.querySelector(".sige-timer-alert");
    this.card = new Card(this.play.querySelector(".sige-card"), page);
    this.card.onSubmit = () => this.answer(false);
    this.card.onNext = () => this.ask(true);
    app.querySelector(".sige-c-begin").addEventListener("click", () => this.begin());
    app.querySelector(".sige-c-again").addEventListener("click", () => this.begin());
  }

  rounds() {
    return section(this.store.data).rounds.filter((r) => isObject(r) && r.kind === "challenge");
  }

  current() {
    return section(this.store.data).rounds.find((r) => isObject(r) && r.id === this.roundId) || null;
  }

  answersOf(round) {
    return round && Array.isArray(round.answers) ? round.answers : [];
  }

  questionsOf(round) {
    const drawn = this.page.rounds.find((r) => r.seed === round.seed);
    return drawn ? drawn.questions.map((change) => ({ ...this.page.byId[change.id], ...change })) : [];
  }

  showOnly(part) {
    for (const area of [this.start, this.play, this.resultArea]) area.hidden = area !== part;
  }

  stopTimer() {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  /* Seconds since the question was asked (0 when the stored time is no time). */
  elapsed(round) {
    const ms = since(round.asked);
    return ms === null ? 0 : ms / 1000;
  }

  tick() {
    const round = this.current();
    if (!round) return this.stopTimer();
    const left = Math.max(0, this.rule.seconds - this.elapsed(round));
    const whole = Math.ceil(left);
    this.meter.value = left / this.rule.seconds;
    const text = say(this.texts.timer, { seconds: whole });
    if (this.clock.textContent !== text) this.clock.textContent = text;
    for (const mark of this.page.warn_at) {
      if (whole === mark && this.alertLine.dataset.said !== String(mark)) {
        this.alertLine.dataset.said = String(mark);
        this.alertLine.textContent = say(this.texts.timer_warning, { seconds: mark });
      }
    }
    if (left <= 0) this.answer(true);
    return undefined;
  }

  /* A new round from a shipped seed drawn at random (another than the last round's when there is a choice). */
  begin() {
    const last = this.rounds().slice(-1)[0];
    const seeds = this.page.rounds.map((r) => r.seed).filter((seed) => !last || seed !== last.seed);
    const seed = seeds[Math.floor(Math.random() * seeds.length)];
    const drawn = this.questionsOf({ seed });
    this.roundId = `challenge-${Date.now().toString(36)}`;
    this.store.change((data) => {
      const s = section(data);
      s.rounds.push({
        id: this.roundId,
        kind: "challenge",
        seed,
        started: nowIso(),
        finished: "",
        questions: drawn.map((q) => q.id),
        answers: [],
        points: 0,
        asked: nowIso(),
        asked_index: 0,
      });
      if (s.rounds.length > this.page.max_rounds) s.rounds.splice(0, s.rounds.length - this.page.max_rounds);
    });
    this.ask(true);
  }

  /* Mark when question ``at`` of the round was first shown (again when the stored time is no time). */
  markAsked(round, at) {
    if (round.asked_index === at && since(round.asked) !== null) return round;
    this.store.change((data) => {
      for (const r of section(data).rounds) {
        if (isObject(r) && r.id === this.roundId) Object.assign(r, { asked: nowIso(), asked_index: at });
      }
    });
    return this.current();
  }

  status(round, at, total_) {
    const answers = this.answersOf(round);
    const values = {
      n: Math.min(at + 1, total_),
      total: total_,
      points: total(answers, this.rule),
      streak: streakOf(answers, this.rule),
    };
    this.bar.set(at, total_, say(this.texts.round_status, values));
  }

  /* Show the round's next question (resuming its countdown when it was already on screen). */
  ask(focus) {
    this.stopTimer();
    let round = this.current();
    const list = this.questionsOf(round);
    const at = this.answersOf(round).length;
    if (at >= list.length) return this.finish();
    round = this.markAsked(round, at);
    this.showOnly(this.play);
    this.status(round, at, list.length);
    this.seedLine.textContent = say(this.texts.round_seed, { seed: round.seed });
    this.alertLine.textContent = "";
    delete this.alertLine.dataset.said;
    this.card.show(list[at], say(this.texts.position, { n: at + 1, total: list.length }), focus);
    this.tick();
    if (this.answersOf(this.current()).length === at) this.timer = window.setInterval(() => this.tick(), 250);
    return undefined;
  }

  /* The graded answer; a time-out is wrong, whatever was typed. */
  graded(timedOut) {
    const result = this.card.grade();
    if (!timedOut) return result;
    return { ...result, verdict: "incorrect", score: 0, details: [] };
  }

  answer(timedOut) {
    const round = this.current();
    if (!round || this.card.submit.hidden) return;
    const at = this.answersOf(round).length;
    const q = this.card.q;
    const result = this.graded(timedOut);
    if (result.verdict === "unanswered") return this.card.showResult(result);
    this.stopTimer();
    const seconds = timedOut
      ? this.rule.seconds
      : Math.min(this.rule.seconds, Math.round(this.elapsed(round) * 10) / 10);
    const points = this.record(q, result, at, seconds);
    const extra = [say(this.texts.earned, { points })];
    if (timedOut) extra.unshift(this.texts.time_up);
    const list = this.questionsOf(round);
    this.status(this.current(), at + 1, list.length);
    this.card.showResult(result, extra, at + 1 >= list.length ? this.texts.finish : this.texts.next);
    return undefined;
  }

  /* Store answer ``at`` of the round (once) and note it in the 错题本 when wrong; its points. */
  record(q, result, at, seconds) {
    const time = nowIso();
    let points = 0;
    this.store.change((data) => {
      for (const r of section(data).rounds) {
        if (!isObject(r) || r.id !== this.roundId || r.finished || !Array.isArray(r.answers) || r.answers.length !== at)
          continue;
        r.answers.push({ question: q.id, ...answerEntry(result, q, time), seconds });
        const each = score(r.answers, this.rule);
        r.answers[at].points = points = each[at];
        r.points = sum(each);
        if (this.page.wrong.includes(result.verdict))
          noteWrong(data, q, result.response, result.verdict, "challenge", time, this.texts);
      }
    });
    return points;
  }

  finish() {
    this.stopTimer();
    this.store.change((data) => {
      const s = section(data);
      for (const r of s.rounds) {
        if (isObject(r) && r.id === this.roundId && !r.finished) {
          r.finished = nowIso();
          s.points += Number.isFinite(r.points) && r.points > 0 ? r.points : 0;
        }
      }
    });
    this.showResult(true);
  }

  reviewItem(q, given, points) {
    const item = el("li");
    item.appendChild(el("p", q.stem, "sige-card-stem"));
    item.appendChild(labelled("p", this.texts.your_answer, readable(q, given.answer, this.texts.unanswered_text)));
    const verdict =
      isString(given.verdict) && this.page.settings.verdicts[given.verdict] ? given.verdict : "unanswered";
    const line = el("p", null, `sige-verdict sige-${verdict}`);
    line.appendChild(el("strong", `${this.page.settings.symbols[verdict]} ${this.page.settings.verdicts[verdict]}`));
    line.appendChild(document.createTextNode(`\u3000${say(this.texts.earned, { points: points || 0 })}`));
    item.appendChild(line);
    appendKey(item, q, this.page.settings);
    return item;
  }

  showResult(focus) {
    const round = this.current();
    const list = this.questionsOf(round);
    const answers = this.answersOf(round);
    const each = score(answers, this.rule);
    const right = answers.filter((a) => isObject(a) && a.verdict === "correct").length;
    const seconds = sum(answers.map((a) => (isObject(a) && Number.isFinite(a.seconds) ? a.seconds : 0)));
    this.resultArea.querySelector(".sige-c-summary").textContent =
      `${say(this.texts.round_result, { points: sum(each), right, total: list.length, seconds: format(seconds) })} ${say(this.texts.round_seed, { seed: round.seed })}`;
    const review = this.resultArea.querySelector(".sige-review");
    review.textContent = "";
    list.forEach((q, i) => review.appendChild(this.reviewItem(q, isObject(answers[i]) ? answers[i] : {}, each[i])));
    this.showOnly(this.resultArea);
    if (focus) this.resultArea.querySelector(".sige-c-result-head").focus();
  }

  /* A stored round this page can show: its seed shipped here, drawing the questions it recorded. */
  playable(round) {
    if (!round || !isString(round.id) || !Array.isArray(round.answers) || !Array.isArray(round.questions)) return false;
    const ids = this.questionsOf(round).map((q) => q.id);
    return ids.length > 0 && ids.join(" ") === round.questions.join(" ");
  }

  resume() {
    const last = this.rounds().slice(-1)[0];
    if (!this.playable(last)) return this.showOnly(this.start);
    this.roundId = last.id;
    if (last.finished) this.showResult(false);
    else this.ask(false);
    return undefined;
  }
}

export function setUpChallenge(app, page, store) {
  new ChallengeMode(app, page, store).resume();
}
