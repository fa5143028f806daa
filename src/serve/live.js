// salesplan serve: reload this page when a new build succeeds; show a failed build's
// error over the page (the last good build stays on screen underneath).
(function () {
  "use strict";
  var seen = null;
  var panel = null;

  function show(text) {
    if (!panel) {
      panel = document.createElement("div");
      panel.setAttribute("role", "alert");
      panel.style.cssText =
        "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#3b0a0a;color:#fff;border-top:4px solid #e5484d;" +
        "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.3)";
      document.body.appendChild(panel);
    }
    panel.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "salesplan: the last rebuild failed; this is the last good build.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap";
    pre.textContent = text;
    panel.appendChild(title);
    panel.appendChild(pre);
  }

  function hide() {
    if (panel) {
      panel.remove();
      panel = null;
    }
  }

  function poll() {
    var url = "/__salesplan/status" + (seen === null ? "" : "?since=" + seen);
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen !== null && s.build !== seen && !s.error) {
          location.reload();
          return;
        }
        seen = s.build;
        if (s.error) { show(s.error); } else { hide(); }
        poll();
      })
      .catch(function () {
        // The server stopped or restarted: try again shortly.
        setTimeout(poll, 1000);
      });
  }

  poll();
})();
