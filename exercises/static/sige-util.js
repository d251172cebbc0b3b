/* Small pure helpers shared by the page modules: type checks, texts with placeholders, numbers, times. */

export function isString(value) {
  return typeof value === "string";
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function has(object, name) {
  return Object.prototype.hasOwnProperty.call(object, name);
}

export function chars(text) {
  return Array.from(text);
}

/* A text with its "{name}" placeholders filled (Python's str.format for these texts). */
export function say(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    isObject(values) && has(values, name) ? String(values[name]) : whole,
  );
}

/* A score as the pages show it: at most two decimals, no trailing zeros. */
export function format(number) {
  return String(Math.round(number * 100) / 100);
}

export function sum(list) {
  return list.reduce((a, b) => a + b, 0);
}

/* Now, as the results format writes times (UTC, seconds, "+00:00"). */
export function nowIso(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function two(n) {
  return (n < 10 ? "0" : "") + n;
}

/* A stored time in the learner's local time ("2026-12-04 22:44"); the text itself when it is no time. */
export function localTime(value) {
  const moment = isString(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(moment.getTime())) return isString(value) ? value.slice(0, 16) : "";
  const day = `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}`;
  return `${day} ${two(moment.getHours())}:${two(moment.getMinutes())}`;
}

/* Milliseconds since a stored time, or null when it is no time. */
export function since(value, nowMs = Date.now()) {
  const at = isString(value) ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? nowMs - at : null;
}

/* A random hexadecimal string (the learner's seed, a round's seed). */
export function randomHex(bytes = 8) {
  const data = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(data);
  return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
}
