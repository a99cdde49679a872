// Progressive enhancement only: every page works without it. Changing a filter with the mouse
// submits the form, so there is no need to press "Apply filters". A keyboard user moving through
// a drop-down with the arrow keys is not interrupted (WCAG 3.2.2): they press "Apply filters".
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[method=get]").forEach(function (form) {
    form.addEventListener("formdata", function (event) {  // leave empty fields out of the URL
      Array.from(event.formData.entries()).forEach(function (entry) {
        if (entry[1] === "") event.formData.delete(entry[0]);
      });
    });
  });
  document.querySelectorAll("[data-autosubmit]").forEach(function (control) {
    var byKeyboard = false;
    control.addEventListener("keydown", function (event) {
      byKeyboard = event.key !== " " || control.tagName === "SELECT";
    });
    control.addEventListener("pointerdown", function () { byKeyboard = false; });
    control.addEventListener("change", function () {
      if (!byKeyboard && control.form) control.form.requestSubmit();
    });
  });
});
