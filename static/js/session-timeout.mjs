// The warning before the idle timeout (WCAG 2.2.1 Timing adjustable). The server decides when a
// session ends (cia/data/users.py); this asks it how long is left (asking does not extend it), opens
// the dialog `warning_seconds` before the end, and "Stay signed in" posts the form in the background.
// Other tabs keep the session alive too: the time left is asked again before warning.

const dialog = document.getElementById("session-timeout");

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

async function askStatus() {
  try {
    const response = await fetch(dialog.dataset.statusUrl, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

if (dialog && typeof dialog.showModal === "function") {
  const warning = dialog.querySelector('[data-timeout-state="warning"]');
  const ended = dialog.querySelector('[data-timeout-state="ended"]');
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const stayForm = dialog.querySelector("[data-timeout-stay]");
  const closeWarning = warning.querySelector("[data-timeout-close]");
  let timer = null;
  let ticker = null;
  let returnFocus = null;

  const stop = () => { clearTimeout(timer); clearInterval(ticker); };
  const schedule = (seconds) => { stop(); timer = setTimeout(check, Math.max(1, seconds) * 1000); };

  function close() {
    stop();
    if (dialog.open) dialog.close();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  function showEnded() {
    stop();
    warning.hidden = true;
    ended.hidden = false;
    dialog.setAttribute("aria-labelledby", "session-timeout-ended-heading");
    if (!dialog.open) dialog.showModal();
    ended.querySelector("button").focus();
  }

  function showWarning(status) {
    const canExtend = status.can_extend !== false;
    stayForm.hidden = !canExtend;
    closeWarning.hidden = canExtend;
    dialog.querySelector("[data-timeout-extend]").hidden = !canExtend;
    dialog.querySelector("[data-timeout-final]").hidden = canExtend;
    warning.hidden = false;
    ended.hidden = true;
    dialog.setAttribute("aria-labelledby", "session-timeout-heading");
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      (canExtend ? stayForm.querySelector("button") : closeWarning).focus();
    }
    const endsAt = Date.now() + status.seconds_left * 1000;
    let lastMinute = null;
    const tick = () => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      countdown.textContent = words(left);
      const minute = Math.ceil(left / 60);
      if (minute !== lastMinute) {  // screen readers hear it once a minute, not every second
        lastMinute = minute;
        announce.textContent = `We will sign you out in ${words(left)}.`;
      }
      if (left === 0) {
        stop();
        check();
      }
    };
    stop();
    tick();
    ticker = setInterval(tick, 1000);
  }

  async function check() {
    const status = await askStatus();
    if (!status) return schedule(60);
    if (!status.signed_in) return showEnded();
    if (status.seconds_left <= 0) return schedule(1);
    const untilWarning = status.seconds_left - status.warning_seconds;
    if (untilWarning > 0) {
      if (dialog.open && !warning.hidden) close();  // another tab kept the session alive
      return schedule(Math.min(untilWarning, 600));
    }
    return showWarning(status);
  }

  async function staySignedIn(event) {
    event.preventDefault();
    try {
      const response = await fetch(stayForm.action, {
        method: "POST", body: new FormData(stayForm), credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return showEnded();
    } catch {
      return schedule(5);
    }
    close();
    return check();
  }

  stayForm.addEventListener("submit", staySignedIn);
  dialog.addEventListener("cancel", (event) => {  // Escape: as if "Stay signed in" (or Close) was chosen
    event.preventDefault();
    if (!warning.hidden && !stayForm.hidden) stayForm.requestSubmit();
    else close();
  });
  dialog.querySelectorAll("[data-timeout-close]").forEach((button) => button.addEventListener("click", close));
  check();
}
