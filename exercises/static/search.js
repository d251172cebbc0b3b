/* Search results: each page once, and snippets from the page's body only (no menus, page contents, exercise
   keys or forms), matching what the search index holds (exercises/book/search_index.py). */
const FURNITURE = [
  "script",
  "style",
  ".headerlink",
  ".onlyprint",
  "nav",
  ".sige-key",
  ".sige-check",
  ".sige-progress",
].join(", ");

/** The text of a page's article (or of the section ``anchor`` names), without page furniture. */
export function bodyText(htmlString, anchor) {
  const doc = new DOMParser().parseFromString(htmlString, "text/html");
  doc.querySelectorAll(FURNITURE).forEach((node) => node.remove());
  const body = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
  if (!body) return "";
  const section = anchor ? doc.getElementById(decodeURIComponent(anchor.slice(1))) : null;
  return (section && body.contains(section) ? section : body).textContent;
}

/** Results in ascending order of score, keeping each page's best entry (the last one) only. */
export function onePerPage(results) {
  const seen = new Set();
  const kept = [];
  for (let i = results.length - 1; i >= 0; i -= 1) {
    if (!seen.has(results[i][0])) {
      seen.add(results[i][0]);
      kept.push(results[i]);
    }
  }
  return kept.reverse();
}

/** The query's phrases (its runs of letters), to put after ``keywords``: the snippet starts at the last found. */
export function phrasesLast(keywords, query) {
  const phrases = (query || "").split(/[^\p{Letter}\p{Number}_]+/u).filter((phrase) => phrase.length > 1);
  return [...keywords, ...phrases];
}

function install(search) {
  const performSearch = search._performSearch;
  const makeSearchSummary = search.makeSearchSummary;
  const query = new URLSearchParams(window.location.search).get("q");
  search.htmlToText = bodyText;
  search._performSearch = (...args) => onePerPage(performSearch(...args));
  search.makeSearchSummary = (htmlText, keywords, anchor) =>
    makeSearchSummary(htmlText, phrasesLast(keywords, query), anchor);
}

// Sphinx declares Search with const in searchtools.js: a global binding, not a property of window.
if (typeof Search !== "undefined") install(Search); // eslint-disable-line no-undef
