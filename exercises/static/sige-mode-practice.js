/* 逐题练习: one question after another, by chapter and measure, where the learner stopped kept. */
import { Bar } from "./sige-bar.js";
import { Card } from "./sige-card.js";
import { noteWrong, section } from "./sige-modes-data.js";
import { answerEntry } from "./sige-store.js";
import { isObject, isString, nowIso, say } from "./sige-util.js";

class PracticeMode {
  constructor(app, page, store) {
    this.page = page;
    this.store = store;
    this.chapter = app.querySelector(".sige-filter-chapter");
    this.measure = app.querySelector(".sige-filter-measure");
    this.bar = new Bar(app.querySelector(".sige-bar"));
    this.note = app.querySelector(".sige-mode-note");
    this.card = new Card(app.querySelector(".sige-card"), page);
    this.measureOf = {};
    for (const p of page.pillars) for (const m of p.measures) this.measureOf[m.id] = String(p.number);
    this.card.onSubmit = () => this.submit();
    this.card.onNext = () => this.go(this.position() + 1, true);
    app.querySelector(".sige-restart").addEventListener("click", () => this.go(0, true));
    for (const select of [this.chapter, this.measure]) {
      select.addEventListener("change", () => {
        this.limitMeasures();
        this.go(this.position(), false);
      });
    }
  }

  key() {
    return `${this.chapter.value}|${this.measure.value}`;
  }

  chosen() {
    const [chapter, measure] = [this.chapter.value, this.measure.value];
    return this.page.questions.filter(
      (q) => (!chapter || String(q.pillar) === chapter) && (!measure || q.measure === measure),
    );
  }

  position() {
    const at = section(this.store.data).practice.positions[this.key()];
    return Number.isFinite(at) && at >= 0 ? Math.floor(at) : 0;
  }

  limitMeasures() {
    const chapter = this.chapter.value;
    for (const option of this.measure.options) {
      option.hidden = option.disabled = !!option.value && !!chapter && this.measureOf[option.value] !== chapter;
    }
    if (this.measure.selectedOptions.length && this.measure.selectedOptions[0].disabled) this.measure.value = "";
  }

  render(focus) {
    const texts = this.page.texts;
    const list = this.chosen();
    const at = this.position();
    if (!list.length || at >= list.length) {
      this.card.node.hidden = true;
      this.note.textContent = list.length ? texts.all_done : texts.empty_filter;
      this.bar.set(list.length, list.length, "");
      return;
    }
    this.note.textContent = "";
    const heading = say(texts.position, { n: at + 1, total: list.length });
    this.bar.set(at, list.length, heading);
    this.card.show(list[at], heading, focus);
  }

  go(to, focus) {
    const k = this.key();
    this.store.change((data) => {
      const s = section(data);
      s.practice.positions[k] = to;
      s.practice.filter = { chapter: this.chapter.value, measure: this.measure.value };
    });
    this.render(focus);
  }

  submit() {
    const { card, page } = this;
    const q = card.q;
    const result = card.grade();
    if (result.verdict === "unanswered") return card.showResult(result);
    const time = nowIso();
    this.store.change((data) => {
      data.answers[q.id] = answerEntry(result, q, time);
      if (page.wrong.includes(result.verdict))
        noteWrong(data, q, result.response, result.verdict, "answers", time, page.texts);
    });
    return card.showResult(result, [], page.texts.next);
  }

  /* Come back to the filter and the question the learner left. */
  resume() {
    const saved = section(this.store.data).practice.filter;
    if (isObject(saved)) {
      this.chapter.value = isString(saved.chapter) ? saved.chapter : "";
      if (this.chapter.value !== saved.chapter) this.chapter.value = "";
      this.limitMeasures();
      this.measure.value = isString(saved.measure) ? saved.measure : "";
      if (this.measure.value !== saved.measure) this.measure.value = "";
    }
    this.limitMeasures();
    this.render(false);
  }
}

export function setUpPractice(app, page, store) {
  new PracticeMode(app, page, store).resume();
}
