// The little the pages do in the browser; everything works without it, this makes it easier.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // After a refused form, the list of what to fix is where the reader's attention goes.
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  } else {
    // The preview, or the first place a search matched: shown without scrolling by hand.
    const target = document.querySelector("[data-scroll-into-view]");
    if (target) target.scrollIntoView({ block: "start" });
  }

  // A panel with work in progress (OCR) is fetched again until the work is done.
  for (const panel of document.querySelectorAll("[data-refresh-seconds]")) {
    const refresh = async () => {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById(panel.id);
      if (!fresh) return;
      panel.innerHTML = fresh.innerHTML;
      if (fresh.dataset.refreshSeconds) setTimeout(refresh, 1000 * Number(fresh.dataset.refreshSeconds));
    };
    setTimeout(refresh, 1000 * Number(panel.dataset.refreshSeconds));
  }

  // "Chép mã": the API token, shown once, copied without selecting it by hand.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      const status = button.parentElement.querySelector(".copy-status");
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = button.dataset.done;
      } catch (err) {
        const range = document.createRange();
        range.selectNodeContents(source);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        if (status) status.textContent = "Không chép tự động được: mã đã được chọn, hãy nhấn Ctrl+C.";
      }
    });
  }
});
