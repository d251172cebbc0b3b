/* The course menu (☰) and the page contents (本页目录) open from the buttons a learner sees.
   The theme binds its handlers to the first .primary-toggle / .secondary-toggle of the page, a button inside
   its own header that the book theme hides; the visible buttons in the article header hand their taps to it. */
const TOGGLES = [".primary-toggle", ".secondary-toggle"];

export function forwardToggles(root) {
  for (const selector of TOGGLES) {
    const [bound, ...visible] = root.querySelectorAll(selector);
    for (const button of visible) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        bound.click();
      });
    }
  }
}

forwardToggles(document);
