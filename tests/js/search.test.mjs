// Search results in Node: each page once (its best entry), and the query's phrases placed last for the snippet.
import assert from "node:assert/strict";
import { test } from "node:test";
import { onePerPage, phrasesLast } from "../../exercises/static/search.js";

test("each page is listed once, with its best-scoring entry", () => {
  // Sphinx's results in ascending score order: [docname, title, anchor, descr, score, filename]
  const results = [
    ["book/ch1", "第一章", "", null, 5, "ch1.md"],
    ["book/article", "原文", "", null, 7, "article.md"],
    ["book/ch1", "第一章 > 小结", "#summary", null, 15, "ch1.md"],
  ];
  const kept = onePerPage(results);
  assert.deepEqual(
    kept.map((r) => [r[0], r[4]]),
    [
      ["book/article", 7],
      ["book/ch1", 15],
    ],
  );
});

test("the query's phrases come after the index terms, so the snippet starts at the phrase", () => {
  assert.deepEqual(phrasesLast(["思想", "想自", "自觉"], "思想自觉"), ["思想", "想自", "自觉", "思想自觉"]);
  assert.deepEqual(phrasesLast(["家家"], "家家到、个个谈 党"), ["家家", "家家到", "个个谈"]);
  assert.deepEqual(phrasesLast([], null), []);
});
