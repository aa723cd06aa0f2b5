// Warns before an idle session ends, and leaves the page when it has (server-side the
// session ends by itself; this only tells the person). Settings come from
// <meta name="lawgov-session"> (templates/accounts/_session_meta.html).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lawgov-session"]');
  if (!meta) return;
  var idle = Number(meta.dataset.idle) * 1000;
  var warning = Math.min(Number(meta.dataset.warning) * 1000, idle);
  var banner = null;
  var timers = [];

  function leave() {
    var here = window.location.pathname + window.location.search;
    window.location.assign(meta.dataset.login + "?next=" + encodeURIComponent(here));
  }

  function hide() {
    if (banner) banner.hidden = true;
  }

  function show() {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "session-warning";
      banner.setAttribute("role", "alertdialog");
      banner.setAttribute("aria-live", "assertive");
      var text = document.createElement("p");
      text.textContent = meta.dataset.message;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = meta.dataset.button;
      button.addEventListener("click", keepAlive);
      banner.appendChild(text);
      banner.appendChild(button);
      document.body.appendChild(banner);
    }
    banner.hidden = false;
    banner.querySelector("button").focus();
  }

  function start() {
    timers.forEach(window.clearTimeout);
    timers = [window.setTimeout(show, idle - warning), window.setTimeout(leave, idle)];
  }

  function keepAlive() {
    fetch(meta.dataset.keepalive, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": meta.dataset.csrf },
    }).then(function (response) {
      if (response.ok) {
        hide();
        start();
      } else {
        leave();
      }
    }, leave);
  }

  start();
})();
