// Poll a progress URL and show it in a <progress> element, then call back with the result.
//
//   <div data-progress-url="/data/uploads/12/progress/">
//     <progress max="100" value="0" aria-describedby="upload-status"></progress>
//     <p id="upload-status" role="status" aria-live="polite"></p>
//   </div>
//
// The URL answers JSON: {"done": 40, "total": 200, "message": "…", "finished": false,
// "result_url": "/…"}; when "finished" is true the page goes to result_url (if any) or
// calls window.lawgovProgressFinished(data). No external libraries.
(function () {
  "use strict";

  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var status = box.querySelector("[role=status]");
    var interval = parseInt(box.getAttribute("data-progress-interval") || "1000", 10);

    function show(data) {
      var total = data.total || 0;
      var percent = total ? Math.round((data.done || 0) * 100 / total) : 0;
      if (bar) {
        bar.max = 100;
        bar.value = percent;
      }
      if (status) {
        status.textContent = (data.message || "") + (total ? "（" + (data.done || 0) + "/" + total + "，" + percent + "%）" : "");
      }
    }

    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (data.finished) {
            if (data.result_url) window.location.assign(data.result_url);
            else if (typeof window.lawgovProgressFinished === "function") window.lawgovProgressFinished(data);
            return;
          }
          setTimeout(tick, interval);
        })
        .catch(function () {
          if (status) status.textContent = "暂时无法获取进度，稍后自动重试。";
          setTimeout(tick, interval * 3);
        });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
  });
})();
