/* The text rules of exercises/questions/normalize.py and grading.clip, with Python's constants
   (white space, punctuation dropped, the longest text kept) taken from the page settings. */
import { chars, has, isString } from "./sige-util.js";

export function textRules(settings, t2s = {}) {
  const space = settings.space;
  const isSpace = (ch) => space.includes(ch);

  function strip(text) {
    const list = chars(text);
    let start = 0;
    let end = list.length;
    while (start < end && isSpace(list[start])) start += 1;
    while (end > start && isSpace(list[end - 1])) end -= 1;
    return list.slice(start, end).join("");
  }

  /* Typed text of bounded length, without control characters. */
  function clip(value) {
    const text = isString(value) ? value : "";
    return chars(text)
      .slice(0, settings.max_text)
      .filter((ch) => ch === "\n" || ch === "\t" || !/^\p{C}$/u.test(ch))
      .join("");
  }

  function simplify(value) {
    return chars(clip(value).normalize("NFKC"))
      .map((ch) => (has(t2s, ch) ? t2s[ch] : ch))
      .join("");
  }

  function normalize(value) {
    return chars(simplify(value).toLowerCase())
      .filter((ch) => !isSpace(ch) && !settings.drop.includes(ch))
      .join("");
  }

  /* Words separated by white space (Python's str.split()). */
  function words(text) {
    const found = [];
    let word = "";
    for (const ch of chars(text)) {
      if (isSpace(ch)) {
        if (word) found.push(word);
        word = "";
      } else word += ch;
    }
    if (word) found.push(word);
    return found;
  }

  return { isSpace, strip, clip, normalize, words };
}
