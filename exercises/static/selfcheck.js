/* Entry module of the chapter pages and the 综合测评: each list of questions drawn by
   exercises/renderers/html.py gets its controller, all sharing the page's one results store. Every text
   and constant comes from Python as JSON (exercises/renderers/pagescript.py). */
import { setUpChecklist } from "./sige-checklist.js";
import { all, readJson, whenReady } from "./sige-dom.js";
import { setUpExam } from "./sige-exam.js";
import { storeFor } from "./sige-store.js";

/* Search snippets leave out keys, self-check forms and panels, as the search index does
   (exercises/book/search_index.py). */
function hideExercisesFromSearch() {
  // Sphinx declares Search with const: a global binding, not a property of window.
  // eslint-disable-next-line no-undef
  const search = typeof Search !== "undefined" ? Search : window.Search;
  if (!search || !search.htmlToText || search.htmlToText.sigeFiltered) return;
  const original = search.htmlToText;
  search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    for (const node of doc.querySelectorAll(".sige-key, .sige-check, .sige-progress")) node.remove();
    return original(doc.documentElement.outerHTML, anchor);
  };
  search.htmlToText.sigeFiltered = true;
}

whenReady(() => {
  hideExercisesFromSearch();
  for (const container of all(document, ".sige-questions")) {
    const settings = readJson(container.querySelector("script.sige-settings"));
    if (!settings) continue;
    const setUp = container.dataset.mode === "test" ? setUpExam : setUpChecklist;
    setUp(container, settings, storeFor(settings));
  }
});
