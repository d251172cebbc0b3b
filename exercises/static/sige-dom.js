/* DOM helpers of the page controllers. */

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/* An element with a bold label followed by a text ("答案：…"). */
export function labelled(tag, label, text, className) {
  const node = el(tag, null, className);
  node.appendChild(el("strong", label));
  node.appendChild(document.createTextNode(text));
  return node;
}

export function all(root, selector) {
  return Array.from(root.querySelectorAll(selector));
}

/* The JSON of a <script type="application/json"> element, or null. */
export function readJson(element) {
  try {
    return element ? JSON.parse(element.textContent) : null;
  } catch {
    return null;
  }
}

/* Run ``start`` once the document is parsed. */
export function whenReady(start) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
