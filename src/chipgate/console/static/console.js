// chipgate console: draws the Vega-Lite charts a page embeds, follows book jobs and
// shows upload progress. No framework; everything works without it except charts.
(function () {
  "use strict";

  function drawCharts() {
    document.querySelectorAll("[data-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source || typeof vegaEmbed === "undefined") return;
      var spec = JSON.parse(source.textContent);
      vegaEmbed(el, spec, { renderer: "svg", actions: false }).then(function () {
        el.setAttribute("data-drawn", "true");
      });
    });
  }

  function followJob() {
    var box = document.getElementById("job");
    if (!box) return;
    var status = box.getAttribute("data-status");
    if (status === "done" || status === "failed") return;
    var id = box.getAttribute("data-job");
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-status");
    var timer = setInterval(function () {
      fetch("/books/" + encodeURIComponent(id) + "/status", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          bar.max = job.total || 1;
          bar.value = job.done;
          text.textContent = job.status + ": " + job.done + " of " + job.total + " orders decided";
          if (job.status === "done" || job.status === "failed") {
            clearInterval(timer);
            window.location.reload();
          }
        });
    }, 500);
  }

  function uploadWithProgress() {
    var form = document.getElementById("book-upload");
    if (!form || !window.XMLHttpRequest) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var bar = document.getElementById("upload-progress");
      var status = document.getElementById("upload-status");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
        status.textContent = "Uploading: " + bar.value + "%";
      };
      xhr.onload = function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = { error: xhr.statusText }; }
        if (xhr.status < 400 && answer.url) {
          window.location.assign(answer.url);
        } else {
          status.textContent = answer.error || "The upload failed.";
          status.className = "error";
        }
      };
      xhr.send(new FormData(form));
    });
  }

  drawCharts();
  followJob();
  uploadWithProgress();
})();
