/* One question per screen (逐题练习, 挑战答题, 错题重练): its controls drawn from the question's form. */
import { el, labelled } from "./sige-dom.js";
import { formResponse } from "./sige-form.js";
import { grade } from "./sige-grading.js";
import { format, say } from "./sige-util.js";

/* The key, 解析 and 原文依据 of ``q`` under ``box``. */
export function appendKey(box, q, settings) {
  const texts = settings.texts;
  box.appendChild(labelled("p", texts.answer, q.answer_text));
  box.appendChild(labelled("p", texts.explanation, q.explanation));
  box.appendChild(labelled("blockquote", texts.source, q.source, "sige-source"));
}

function choiceControl(control, id) {
  const set = el("fieldset");
  set.appendChild(el("legend", control.legend));
  control.choices.forEach((choice, i) => {
    const label = el("label", null, "sige-choice");
    const input = el("input");
    input.type = control.multiple ? "checkbox" : "radio";
    input.name = id;
    input.value = String(i);
    label.append(input, el("span", choice[1]));
    set.appendChild(label);
  });
  return set;
}

function fieldControl(control, id, choose) {
  const field = el("div", null, "sige-field");
  const label = el("label", control.label);
  label.htmlFor = id;
  let input;
  if (control.kind === "select") {
    input = el("select");
    input.appendChild(new Option(choose, ""));
    for (const c of control.choices) input.appendChild(new Option(c, c));
  } else {
    input = el("input");
    Object.assign(input, { type: "text", autocomplete: "off", spellcheck: false });
  }
  input.id = id;
  field.append(label, input);
  return field;
}

export class Card {
  constructor(node, page) {
    this.node = node;
    this.page = page;
    for (const part of ["head", "meta", "stem", "form", "controls", "submit", "next", "feedback"]) {
      this[part] = node.querySelector(`.sige-card-${part}`);
    }
    this.q = null;
    this.onSubmit = null;
    this.onNext = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.onSubmit && !this.submit.hidden) this.onSubmit();
    });
    this.next.addEventListener("click", () => this.onNext && this.onNext());
  }

  show(q, heading, focus) {
    const id = `sige-q-${(this.page.counter += 1)}`;
    this.q = q;
    this.head.textContent = heading;
    this.meta.textContent = say(this.page.texts.card_head, {
      label: q.label,
      points: format(q.points),
      measure: q.measure_label,
    });
    this.stem.textContent = q.stem;
    this.controls.textContent = "";
    q.form.controls.forEach((control, i) => {
      const box = el("div", null, "sige-control");
      const made =
        control.kind === "choice"
          ? choiceControl(control, `${id}-${i}`)
          : fieldControl(control, `${id}-${i}`, this.page.texts.choose);
      box.appendChild(made);
      this.controls.appendChild(box);
    });
    this.feedback.textContent = "";
    delete this.feedback.dataset.verdict;
    this.submit.hidden = false;
    this.submit.disabled = false;
    this.next.hidden = true;
    this.node.hidden = false;
    if (focus) this.head.focus();
  }

  response() {
    const nodes = this.controls.querySelectorAll(".sige-control");
    const values = this.q.form.controls.map((control, i) => {
      if (control.kind !== "choice") return nodes[i].querySelector("input, select").value;
      const picked = Array.from(nodes[i].querySelectorAll("input"))
        .filter((input) => input.checked)
        .map((input) => control.choices[Number(input.value)][0]);
      return control.multiple ? picked : picked.length ? picked[0] : null;
    });
    return formResponse(this.q.form, values);
  }

  grade() {
    return grade(this.q, this.response(), this.page.settings);
  }

  lock() {
    for (const c of this.controls.querySelectorAll("input, select")) c.disabled = true;
    this.submit.hidden = true;
  }

  /* Mark the right choices (single and multiple choice) once the key is shown. */
  markRight() {
    const right = [].concat(this.q.answer);
    this.q.form.controls.forEach((control, i) => {
      if (control.kind !== "choice") return;
      const labels = this.controls.querySelectorAll(".sige-control")[i].querySelectorAll("label.sige-choice");
      control.choices.forEach((choice, j) => {
        if (right.includes(choice[0])) labels[j].classList.add("sige-right");
      });
    });
  }

  /* Verdict, ``extra`` lines, details; with ``nextText`` also the key, 解析, 原文依据 and 下一题. */
  showResult(result, extra, nextText) {
    const settings = this.page.settings;
    const box = this.feedback;
    box.textContent = "";
    box.dataset.verdict = result.verdict;
    const head = el("p", null, `sige-verdict sige-${result.verdict}`);
    head.appendChild(el("strong", `${settings.symbols[result.verdict]} ${settings.verdicts[result.verdict]}`));
    head.appendChild(
      document.createTextNode(
        say(settings.texts.score, { score: format(result.score), points: format(result.points) }),
      ),
    );
    box.appendChild(head);
    for (const line of extra || []) box.appendChild(el("p", line, "sige-card-extra"));
    const list = el("ul");
    for (const d of result.details) list.appendChild(el("li", d));
    box.appendChild(list);
    if (nextText === undefined) return;
    appendKey(box, this.q, settings);
    this.lock();
    this.markRight();
    this.next.textContent = nextText;
    this.next.hidden = false;
    this.next.focus();
  }
}
