/* exercises/questions/form: a question's response made of its controls' values, and back. */
import { has, isObject } from "./sige-util.js";

export function formResponse(form, values) {
  if (form.shape === "one") return values.length ? values[0] : null;
  if (form.shape === "list") return values.slice();
  const answer = {};
  form.controls.forEach((control, i) => {
    answer[control.label] = values[i];
  });
  return answer;
}

export function formValues(form, response) {
  if (form.shape === "one") return [response];
  if (form.shape === "list") {
    const given = Array.isArray(response) ? response : [];
    return form.controls.map((c, i) => (i < given.length ? given[i] : null));
  }
  const mapping = isObject(response) ? response : {};
  return form.controls.map((c) => (has(mapping, c.label) ? mapping[c.label] : null));
}

/* The response as the learner saw it (challenge.readable_answer): chosen texts, typed texts; a match
   shows each item with its value ("item → value"). */
export function readable(q, response, empty) {
  const values = formValues(q.form, response);
  const parts = q.form.controls.map((control, i) => {
    const value = values[i];
    if (control.kind === "choice") {
      const chosen = Array.isArray(value) ? value : [value];
      return control.choices
        .filter((c) => chosen.includes(c[0]))
        .map((c) => c[1])
        .join("、");
    }
    const typed = typeof value === "string" ? value.trim() : "";
    return q.form.shape === "by_label" && typed ? `${control.label} → ${typed}` : typed;
  });
  const shown = parts.join("；");
  return shown.replace(/；/g, "") ? shown : empty;
}

/* Whether a response holds nothing chosen or typed (told without the key, before 交卷). */
export function isBlank(response) {
  if (response === null || response === undefined) return true;
  if (typeof response === "string") return !response.trim();
  if (Array.isArray(response)) return response.every(isBlank);
  if (isObject(response)) return Object.values(response).every(isBlank);
  return false;
}
