// Leaving a page with unsaved changes asks first (progressive enhancement: without JavaScript
// nothing changes, and answers are still kept by the server when a save cannot take them all).
//
// A form marked data-module="cia-unsaved-warning" is read when the page loads; if what it would
// post differs when the person leaves (another link, the back button, closing the tab), the
// browser's own "Leave site?" dialog appears. Submitting the form is never warned about. A page
// shown with input not saved yet (the conflict page) is marked data-unsaved and warns at once.
const SELECTOR = 'form[data-module="cia-unsaved-warning"]';

function snapshot(form) {
  if (!form) return "";
  const pairs = [];
  for (const [name, value] of new FormData(form)) {
    if (name !== "csrf_token") pairs.push(`${name}=${typeof value === "string" ? value : value.name}`);
  }
  return pairs.join("&");
}

const loaded = snapshot(document.querySelector(SELECTOR));
let submitting = false;

// Listened on window, so after the page's own handlers: a submit they handle in the background
// ("Add another" without a reload) is not a save, and leaving afterwards still asks.
window.addEventListener("submit", (event) => {
  if (event.target.matches(SELECTOR) && !event.defaultPrevented) submitting = true;
});

window.addEventListener("beforeunload", (event) => {
  const form = document.querySelector(SELECTOR);
  if (submitting || !form) return;
  if (form.hasAttribute("data-unsaved") || snapshot(form) !== loaded) {
    event.preventDefault();
    event.returnValue = "";
  }
});
