// Print buttons ([data-print]) of report and statement pages (no inline handlers: the CSP forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
