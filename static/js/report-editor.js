// Live preview and figure insertion for the report editor. No external libraries.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var preview = document.getElementById("preview");
  var lastField = null;
  var timer = null;

  function refresh() {
    var data = new FormData(form);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      credentials: "same-origin",
    })
      .then(function (response) { return response.text(); })
      .then(function (html) { preview.innerHTML = html; })
      .catch(function () { preview.textContent = "预览暂时不可用。"; });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("focusin", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") lastField = event.target;
  });

  document.querySelectorAll(".figure-insert").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = lastField || form.querySelector("textarea");
      var token = "{{ " + button.dataset.key + " }}";
      var start = field.selectionStart || 0;
      var end = field.selectionEnd || 0;
      field.value = field.value.slice(0, start) + token + field.value.slice(end);
      field.focus();
      field.selectionStart = field.selectionEnd = start + token.length;
      schedule();
    });
  });

  refresh();
})();
