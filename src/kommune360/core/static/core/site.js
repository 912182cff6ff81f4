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

  // Panels that fold away on small screens (<details data-collapse-below="60em">): open
  // on wide screens, closed on small ones until the person opens them. An htmx swap
  // renders them open again; the state the person chose is kept.
  let chosen = null;
  const isSmall = (panel) => !window.matchMedia(`(min-width: ${panel.dataset.collapseBelow})`).matches;
  const fold = () => {
    for (const panel of document.querySelectorAll("details[data-collapse-below]")) {
      const open = isSmall(panel) ? (chosen ?? false) : true;
      panel.dataset.autoOpen = String(open);
      panel.open = open;
    }
  };
  document.addEventListener(
    "toggle",
    (event) => {
      const panel = event.target;
      if (panel.matches?.("details[data-collapse-below]") && String(panel.open) !== panel.dataset.autoOpen) {
        chosen = panel.open;
        panel.dataset.autoOpen = String(panel.open);
      }
    },
    true,
  );
  document.addEventListener("DOMContentLoaded", fold);
  document.addEventListener("htmx:afterSettle", fold);
  window.matchMedia("(min-width: 60em)").addEventListener("change", fold);
})();
