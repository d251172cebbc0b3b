/* The option-shuffle core, mirroring exercises/questions/shuffle.py (shared vectors): FNV-1a 32-bit over
   the UTF-8 bytes of "seed/question_id", mulberry32, Fisher–Yates from the end. */

export function fnv1a(text) {
  let h = 2166136261;
  for (const byte of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ byte, 16777619) >>> 0;
  }
  return h >>> 0;
}

/* The standard mulberry32 generator: floats in [0, 1). */
export function mulberry32(state) {
  let a = state >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/* ``keys`` in the display order of learner ``seed`` for question ``questionId``. */
export function shuffledKeys(keys, seed, questionId) {
  const order = Array.from(keys);
  const rand = mulberry32(fnv1a(`${seed}/${questionId}`));
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
