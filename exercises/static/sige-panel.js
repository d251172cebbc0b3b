/* The parts every page that records answers shares: the learner's name and number, 导出成绩文件, and the
   store's notice. */
import { el } from "./sige-dom.js";
import { cleanName, exportName } from "./sige-naming.js";

/* Download the stored document as the results file. */
export function exportDocument(store, settings) {
  const data = store.fresh();
  const blob = new Blob([JSON.stringify(data, null, 1)], { type: "application/json" });
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = exportName(data.learner, data.learner_id, settings);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/* Wire the name fields and the export button found in ``panel``; ``refresh`` runs after each change. */
export function wirePanel(panel, store, settings, refresh) {
  for (const [field, selector] of [
    ["learner", ".sige-learner"],
    ["learner_id", ".sige-learner-id"],
  ]) {
    const input = panel.querySelector(selector);
    if (!input) continue;
    input.value = typeof store.data[field] === "string" ? store.data[field] : "";
    input.addEventListener("change", () => {
      store.change((data) => {
        data[field] = cleanName(input.value, settings);
      });
      input.value = store.data[field];
      refresh();
    });
  }
  const button = panel.querySelector(".sige-export");
  if (button) button.addEventListener("click", () => exportDocument(store, settings));
  for (const c of panel.querySelectorAll("button, input")) c.disabled = false;
}
