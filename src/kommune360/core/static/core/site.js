// Small behaviours of the layout; every page works without this file.
(() => {
  // After an htmx swap, move focus to the region's heading so that screen readers
  // announce the new content (elements opt in with data-focus-after-swap).
  document.addEventListener("htmx:afterSwap", (event) => {
    // History restores (back button) swap without a target element.
    const target = event.detail.target?.querySelector("[data-focus-after-swap]");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
