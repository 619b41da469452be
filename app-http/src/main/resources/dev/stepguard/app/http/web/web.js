// Shows each <time datetime> in the viewer's own zone; without this script the UTC text stays.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("time[datetime]").forEach(function (time) {
    var when = new Date(time.getAttribute("datetime"));
    if (!isNaN(when.getTime())) {
      time.title = time.textContent;
      time.textContent = when.toLocaleString(undefined, {
        year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
      });
    }
  });
});
