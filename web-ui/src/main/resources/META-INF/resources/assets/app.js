// Shoal's only script of its own (CSP: script-src 'self', nothing inline).
document.addEventListener("DOMContentLoaded", () => {
  if (window.hljs) {
    document.querySelectorAll("pre code[class^='language-']").forEach((el) => window.hljs.highlightElement(el));
  }
  // Clicking the clone URL selects it for copying.
  const clone = document.getElementById("clone-url");
  if (clone) {
    clone.addEventListener("focus", () => clone.select());
  }
  // A line anchor (#L12) is marked, so a shared link shows the line it means.
  const mark = () => {
    document.querySelectorAll(".gutter a.target").forEach((a) => a.classList.remove("target"));
    const hit = location.hash.match(/^#L(\d+)$/);
    if (hit) {
      const a = document.getElementById("L" + hit[1]);
      if (a) {
        a.classList.add("target");
      }
    }
  };
  window.addEventListener("hashchange", mark);
  mark();
});
// A copy button copies its input's text (the clone URL) to the clipboard.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) {
    return;
  }
  const input = document.getElementById(button.dataset.copy);
  if (!input) {
    return;
  }
  input.select();
  const done = () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = "Copy"; }, 1500); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});
