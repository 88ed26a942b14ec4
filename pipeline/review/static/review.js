/* Review workbench keyboard flow (served as a file: the Content-Security-Policy allows no inline script).
 * Enter saves the item and moves on (the server focuses the next item); in a text area Ctrl+Enter.
 * Alt+A confirms the value as read.  Tab / Shift+Tab move between controls as usual. */
(function () {
  "use strict";
  function itemForm(el) { return el && el.closest ? el.closest("section.item form.save") : null; }
  function submitWith(form, action) {
    var btn = form.querySelector('button[name="action"][value="' + action + '"]');
    if (form.requestSubmit) { form.requestSubmit(btn); } else { btn.click(); }
  }
  document.addEventListener("keydown", function (ev) {
    var form = itemForm(ev.target);
    if (!form) { return; }
    if (ev.altKey && !ev.ctrlKey && (ev.key === "a" || ev.key === "A" || ev.code === "KeyA")) {
      ev.preventDefault();
      submitWith(form, "accept");
      return;
    }
    if (ev.key !== "Enter" || ev.isComposing) { return; }   // Enter that ends an IME composition is not a save
    var tag = ev.target.tagName;
    if (tag === "BUTTON") { return; }                       // the button does its own thing
    if (tag === "TEXTAREA" && !ev.ctrlKey) { return; }      // a new line in a narrative
    ev.preventDefault();
    submitWith(form, "save");
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("img.crop").forEach(function (img) {
      img.addEventListener("error", function () { img.hidden = true; });
    });
    var focused = document.querySelector("[autofocus]");
    if (focused) {
      var item = focused.closest("section.item");
      if (item) { item.scrollIntoView({block: "center"}); }
      focused.focus();
    }
  });
})();
