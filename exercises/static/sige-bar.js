/* A progress bar with its text (position in a list, a round's status). */
export class Bar {
  constructor(node) {
    this.meter = node.querySelector(".sige-bar-meter");
    this.text = node.querySelector(".sige-bar-text");
  }

  set(done, total, text) {
    this.meter.max = Math.max(total, 1);
    this.meter.value = done;
    this.text.textContent = text;
  }
}
