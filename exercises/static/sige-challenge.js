/* The challenge-scoring core, mirroring exercises/questions/challenge.score (shared vectors, Node and
   Chromium). Stored data may be anything: answers that are not objects, seconds that are strings,
   objects or out of range, verdicts of any type all score nothing and end the streak. */
import { isObject, sum } from "./sige-util.js";

/* challenge.in_time: a finite number of seconds from 0 up to, not including, the limit. */
export function inTime(seconds, rule) {
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 && seconds < rule.seconds;
}

/* The points of each answer of a round, in order. */
export function score(answers, rule) {
  const points = [];
  let streak = 0;
  for (const answer of Array.isArray(answers) ? answers : []) {
    if (isObject(answer) && answer.verdict === "correct" && inTime(answer.seconds, rule)) {
      points.push(rule.per_correct + rule.streak_bonus * Math.min(streak, rule.bonus_cap));
      streak += 1;
    } else {
      points.push(0);
      streak = 0;
    }
  }
  return points;
}

export function total(answers, rule) {
  return sum(score(answers, rule));
}

/* The correct answers in a row at the end of the round. */
export function streakOf(answers, rule) {
  let streak = 0;
  for (const p of score(answers, rule)) streak = p ? streak + 1 : 0;
  return streak;
}
