/* Entry module of the phone-first modes (逐题练习, 挑战答题, 错题本与学习记录): questions, texts, the
   challenge rule and the seeded rounds come from Python as JSON (exercises/renderers/practice_html.py);
   the page's one results store keeps every answer. */
import { readJson, whenReady } from "./sige-dom.js";
import { setUpChallenge } from "./sige-mode-challenge.js";
import { setUpPractice } from "./sige-mode-practice.js";
import { setUpWrongBook } from "./sige-mode-wrongbook.js";
import { syncWrong } from "./sige-modes-data.js";
import { wirePanel } from "./sige-panel.js";
import { storeFor } from "./sige-store.js";

const MODES = { practice: setUpPractice, challenge: setUpChallenge, wrongbook: setUpWrongBook };

function setUp(container) {
  const page = readJson(container.querySelector("script.sige-practice-data"));
  if (!page || !MODES[page.mode]) return;
  page.byId = {};
  for (const q of page.questions) page.byId[q.id] = q;
  page.counter = 0;
  const store = storeFor(page.settings);
  syncWrong(store, page);
  const app = container.querySelector(".sige-practice-app");
  container.querySelector(".sige-noscript").hidden = true;
  app.hidden = false;
  const exportRow = app.querySelector(".sige-export-row");
  const showNotice = () => {
    exportRow.querySelector(".sige-notice").textContent = store.message;
  };
  wirePanel(exportRow, store, page.settings, showNotice);
  store.subscribe(showNotice);
  MODES[page.mode](app, page, store);
  showNotice();
}

whenReady(() => {
  for (const container of document.querySelectorAll(".sige-practice")) setUp(container);
});
