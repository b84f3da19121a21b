// Check-in at the door: scan ticket QR codes with the camera (vendored jsQR), post the code,
// show the result and keep the counts live. The page works without this script too.
(function () {
  "use strict";
  var root = document.querySelector(".check-in");
  if (!root) return;
  var scanUrl = root.getAttribute("data-scan-url");
  var countsUrl = root.getAttribute("data-counts-url");
  var result = document.getElementById("check-in-result");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var startButton = document.getElementById("start-scan");
  var lastCode = null, lastAt = 0;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function showCounts(counts) {
    Object.keys(counts).forEach(function (key) {
      var node = root.querySelector("[data-count=" + key + "]");
      if (node) node.textContent = counts[key];
    });
  }
  function showResult(data) {
    result.className = "check-in-result result-" + data.status;
    result.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = data.message;
    result.appendChild(strong);
    var rest = "";
    if (data.name) rest += ": " + data.name + (data.company ? " (" + data.company + ")" : "");
    if (data.checked_in_at) rest += " · " + data.checked_in_at;
    result.appendChild(document.createTextNode(rest));
    if (data.counts) showCounts(data.counts);
  }
  function send(payload) {
    return fetch(scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (response) { return response.json(); }).then(showResult);
  }
  var codeForm = root.querySelector(".code-form");
  if (codeForm) {
    codeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = codeForm.querySelector("input[name=code]");
      send({ code: input.value }).then(function () { input.value = ""; input.focus(); });
    });
  }
  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d");
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // The same ticket stays in view for a while: scan it once, not thirty times a second.
      if (code && code.data && (code.data !== lastCode || now - lastAt > 4000)) {
        lastCode = code.data;
        lastAt = now;
        send({ code: code.data });
      }
    }
    window.requestAnimationFrame(tick);
  }
  if (startButton) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      startButton.hidden = true;
    }
    startButton.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        startButton.hidden = true;
        video.play();
        window.requestAnimationFrame(tick);
      }).catch(function (error) {
        result.className = "check-in-result result-not_found";
        result.textContent = String(error);
      });
    });
  }
  window.setInterval(function () {
    fetch(countsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) { if (counts) showCounts(counts); })
      .catch(function () {});
  }, 5000);
})();
