// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "/static/js/session-timeout.mjs";
import "/static/js/unsaved-warning.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// "Add another" and "Remove" are submit buttons that work without JavaScript (the server
// re-renders the page with the item added or removed). With JavaScript the same request is
// sent in the background and only the page's main content is replaced: no reload, and
// focus moves to the new item (or to its list after a removal).
function focusById(id) {
  const target = id && document.getElementById(id);
  if (!target) return;
  if (!target.matches("input, textarea, select, button, a")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  const button = event.submitter;
  if (!form.matches("[data-app-form]") || !button || button.name !== "action") return;
  event.preventDefault();
  const body = new FormData(form);
  body.append(button.name, button.value);
  let response;
  try {
    response = await fetch(window.location.pathname, {
      method: "POST", body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
    });
  } catch {
    response = null;
  }
  if (!response || !response.ok || !response.headers.get("content-type")?.includes("text/html")) {
    // Fall back to an ordinary submission: the server does the same thing.
    form.removeAttribute("data-app-form");
    button.click();
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const freshMain = page.querySelector("main");
  const oldMain = document.querySelector("main");
  if (!freshMain || !oldMain) return;
  oldMain.replaceWith(freshMain);
  document.title = page.title;
  initAll({ scope: freshMain });
  const freshForm = freshMain.querySelector("[data-app-form]");
  const summary = freshMain.querySelector(".govuk-error-summary");
  if (summary && !freshForm?.dataset.appFocus) {
    summary.focus();
  } else {
    focusById(freshForm?.dataset.appFocus);
  }
});
