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

  // The register page: a chosen file is staged at once and its header read (a scan's by OCR of
  // its first page, on the server); the empty fields fill themselves when that is done, and the
  // file is not sent a second time with the form.
  const intakeForm = document.querySelector("form[data-intake-url]");
  if (intakeForm) followIntake(intakeForm);

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

const HEADER_FIELDS = ["number", "issue_date", "doc_type", "title", "issuer"];

function followIntake(form) {
  const status = form.querySelector("#intake-status");
  const staged = form.querySelector("input[name=intake]");
  const chooser = form.querySelector("input[type=file][name=file]");
  const say = (text) => { status.textContent = text; };
  const statusUrl = (id) => form.dataset.intakeStatus.replace(/0$/, String(id));

  const fill = (fields) => {
    const incoming = form.querySelector("[name=origin]").value === "incoming";
    let filled = 0;
    for (const name of HEADER_FIELDS) {
      const input = form.querySelector(`[name=${name}]`);
      if (!input || !fields[name] || (name === "issuer" && !incoming)) continue;
      if (input.value && name !== "doc_type") continue; // what the user typed stays
      input.value = fields[name];
      if (!input.parentElement.querySelector(".detected")) {
        const hint = document.createElement("p");
        hint.className = "hint detected";
        hint.textContent = "Đọc từ tệp: hãy kiểm tra lại.";
        input.insertAdjacentElement("afterend", hint);
      }
      filled += 1;
    }
    return filled;
  };

  const follow = async (id) => {
    for (;;) {
      const response = await fetch(statusUrl(id), { credentials: "same-origin" });
      const answer = await response.json();
      if (!response.ok) return say(answer.error);
      if (answer.state === "reading") {
        say(`Tệp đã chọn: ${answer.filename}; đang nhận dạng chữ trang đầu…`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        continue;
      }
      if (answer.state === "failed") return say(`Tệp đã chọn: ${answer.filename}; ${answer.reason}`);
      const filled = fill(answer.fields);
      return say(filled
        ? `Tệp đã chọn: ${answer.filename}; đã điền ${filled} ô từ tệp, hãy kiểm tra lại.`
        : `Tệp đã chọn: ${answer.filename}; ${answer.reason || "không có ô nào để điền."}`);
    }
  };

  chooser.addEventListener("change", async () => {
    const secret = form.querySelector("[name=security_level]");
    if (!chooser.files.length || (secret && !["", "none"].includes(secret.value))) return;
    const body = new FormData();
    body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    body.append("file", chooser.files[0]);
    say("Đang gửi tệp…");
    const response = await fetch(form.dataset.intakeUrl, { method: "POST", body, credentials: "same-origin" });
    const answer = await response.json();
    if (!response.ok) return say(answer.error);
    staged.value = answer.id;
    follow(answer.id);
  });
  // The file is on the server already: the form names it instead of sending it again.
  form.addEventListener("submit", () => { if (staged.value) chooser.disabled = true; });
  if (form.dataset.intakeReading) follow(form.dataset.intakeReading);
}
