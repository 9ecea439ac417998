// While a person is awaited, look for their reply and show it (the page works without this).
"use strict";
(function () {
  var tag = document.currentScript;
  var seconds = Number(tag && tag.dataset.poll) || 15;
  function look() {
    var box = document.getElementById("text");
    if (box && box.value) return;  // never reload over what the person is typing
    fetch("/news", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { waiting: 0 }; })
      .then(function (news) { if (news.waiting > 0) location.reload(); })
      .catch(function () {});
  }
  setInterval(look, seconds * 1000);
})();
