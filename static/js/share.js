// Share links: "Copy link" and the device's own share sheet (Web Share API), offered only
// where the browser has them. The page's address and title come from the share box.
(function () {
  "use strict";
  document.querySelectorAll("[data-share-url]").forEach(function (box) {
    var url = box.getAttribute("data-share-url");
    var title = box.getAttribute("data-share-title");
    var status = box.querySelector(".share__status");
    var copy = box.querySelector('[data-share-action="copy"]');
    var native = box.querySelector('[data-share-action="native"]');

    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.querySelector("button").addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () { status.textContent = "Link copied."; },
          function () { status.textContent = "Could not copy the link: " + url; }
        );
      });
    }
    if (native && navigator.share) {
      native.hidden = false;
      native.querySelector("button").addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
  });
})();
