/* One question of a chapter page or the 综合测评: the static section drawn by exercises/renderers/html.py,
   its hidden form revealed, read, filled from a stored answer and marked with its result. */
import { all, el, labelled, readJson } from "./sige-dom.js";
import { formResponse, formValues } from "./sige-form.js";
import { shuffledKeys } from "./sige-shuffle.js";
import { format, isString, say } from "./sige-util.js";

function controlValue(control, node) {
  if (control.kind === "choice") {
    const picked = all(node, "input")
      .filter((box) => box.checked)
      .map((box) => control.choices.find((c) => String(c[0]) === box.dataset.key)?.[0]);
    return control.multiple ? picked : picked.length ? picked[0] : null;
  }
  return node.querySelector("input, textarea, select").value;
}

function showValue(control, node, value) {
  if (control.kind === "choice") {
    const wanted = control.multiple ? (Array.isArray(value) ? value : []) : [value];
    for (const box of all(node, "input")) {
      box.checked = wanted.some((w) => String(w) === box.dataset.key && typeof w === typeof control.choices[0][0]);
    }
    return;
  }
  const field = node.querySelector("input, textarea, select");
  field.value = isString(value) ? value : "";
  if (field.tagName === "SELECT" && field.value !== value) field.value = "";
}

export class QuestionItem {
  constructor(section, settings) {
    this.section = section;
    this.form = section.querySelector("form.sige-check");
    this.q = readJson(this.form && this.form.querySelector("script.sige-data"));
    this.settings = settings;
    this.result = null;
    this.dirty = false;
    this.shown = null; // the stored entry this question shows
    this.id = section.dataset.qid;
  }

  /* A question the page cannot grade (简答): after 交卷 its reference answer, 解析 and 原文依据. */
  showKey(q) {
    const { texts } = this.settings;
    let box = this.section.querySelector(".sige-reference");
    if (!box) box = this.section.appendChild(el("div", null, "sige-reference"));
    box.textContent = "";
    if (!q) return;
    box.appendChild(labelled("p", texts.answer, q.answer_text));
    box.appendChild(labelled("p", texts.explanation, q.explanation));
    box.appendChild(labelled("blockquote", texts.source, q.source, "sige-source"));
  }

  get usable() {
    return !!(this.form && this.q);
  }

  nodes() {
    return all(this.form, ".sige-controls .sige-control");
  }

  /* Reveal the form; its choices remember their canonical keys (their display order may change). */
  enable(onSubmit, onRetry) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      onSubmit(this);
    });
    this.form.querySelector(".sige-retry").addEventListener("click", () => onRetry(this));
    this.form.addEventListener("input", () => {
      this.dirty = true;
    });
    const nodes = this.nodes();
    this.q.form.controls.forEach((control, i) => {
      if (control.kind !== "choice") return;
      all(nodes[i], "input").forEach((box, j) => {
        box.dataset.key = String(control.choices[j][0]);
      });
    });
    for (const c of all(this.form, "input, select, textarea, button")) c.disabled = false;
    const staticPart = this.section.querySelector(".sige-static");
    if (staticPart) staticPart.hidden = true;
    this.form.hidden = false;
  }

  response() {
    const nodes = this.nodes();
    return formResponse(
      this.q.form,
      this.q.form.controls.map((c, i) => controlValue(c, nodes[i])),
    );
  }

  restore(answer) {
    const nodes = this.nodes();
    const values = formValues(this.q.form, answer);
    this.q.form.controls.forEach((control, i) => showValue(control, nodes[i], values[i]));
  }

  clear() {
    this.form.reset();
    const box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    delete box.dataset.verdict;
    this.result = null;
    this.dirty = false;
  }

  lock(locked) {
    for (const c of all(this.form, "input, select, textarea")) c.disabled = locked;
  }

  /* Verdict, details and (answered) the key, 解析, 原文依据 and scoring rule of payload ``q``. */
  show(result, q = this.q) {
    const { texts, symbols, verdicts } = this.settings;
    const box = this.form.querySelector(".sige-feedback");
    box.textContent = "";
    box.dataset.verdict = result.verdict;
    const head = el("p", null, `sige-verdict sige-${result.verdict}`);
    head.appendChild(el("strong", `${symbols[result.verdict]} ${verdicts[result.verdict]}`));
    head.appendChild(
      document.createTextNode(say(texts.score, { score: format(result.score), points: format(result.points) })),
    );
    box.appendChild(head);
    const list = el("ul");
    for (const d of result.details) list.appendChild(el("li", d));
    box.appendChild(list);
    if (result.verdict === "unanswered") return;
    box.appendChild(labelled("p", texts.answer, q.answer_text));
    box.appendChild(labelled("p", texts.explanation, q.explanation));
    box.appendChild(labelled("blockquote", texts.source, q.source, "sige-source"));
    box.appendChild(el("p", say(texts.rule, { rule: q.rule }), "sige-rule"));
  }

  /* Show the choices in the order of ``seed`` (contract 2; "" keeps the bank's order), lettered A, B, C…
     as shown; the inputs keep their canonical keys. */
  shuffle(seed) {
    const keys = this.settings.option_keys;
    const nodes = this.nodes();
    this.q.form.controls.forEach((control, i) => {
      if (control.kind !== "choice") return;
      if (!control.choices.every((c, j) => c[0] === keys[j] && String(c[1]).startsWith(`${keys[j]}. `))) return;
      const labels = all(nodes[i], "label.sige-choice");
      const byKey = new Map(labels.map((label) => [label.querySelector("input").dataset.key, label]));
      const canonical = control.choices.map((c) => c[0]);
      const order = seed ? shuffledKeys(canonical, seed, this.q.id) : canonical;
      order.forEach((key, shownAt) => {
        const label = byKey.get(key);
        label.lastChild.textContent = ` ${keys[shownAt]}. ${control.choices[keys.indexOf(key)][1].slice(3)}`;
        label.parentNode.appendChild(label);
      });
    });
  }

  /* Number the question as it stands on the paper ("练习 测评-3"). */
  number(text) {
    const strong = this.section.querySelector(".sige-qhead strong");
    if (strong) strong.textContent = text;
    this.section.setAttribute("aria-label", text);
  }
}
