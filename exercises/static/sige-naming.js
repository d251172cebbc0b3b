/* The names of results/export files: exercises/questions/results.clean_name, safe_filename, export_name. */
import { textRules } from "./sige-text.js";
import { chars } from "./sige-util.js";

/* A typed name on one line, without control characters, of bounded length. */
export function cleanName(value, settings) {
  const rules = textRules(settings);
  return chars(rules.words(rules.clip(value)).join(" "))
    .slice(0, settings.naming.max_name)
    .join("");
}

/* Letters (any script), digits, - and _ only. */
export function safeFilename(value, settings) {
  const kept = chars(cleanName(value, settings).normalize("NFKC"))
    .map((ch) => (/^[\p{L}\p{N}_-]$/u.test(ch) ? ch : "_"))
    .join("");
  return chars(kept.replace(/_+/g, "_").replace(/^_+|_+$/g, ""))
    .slice(0, settings.naming.max_file_part)
    .join("");
}

/* The export's file name, e.g. 成绩-张三-1024.json. */
export function exportName(learner, learnerId, settings) {
  const parts = [safeFilename(learner, settings), safeFilename(learnerId, settings)].filter(Boolean);
  return settings.naming.prefix + (parts.join("-") || settings.naming.unnamed) + ".json";
}
