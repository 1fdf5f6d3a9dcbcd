/* Click-to-play videos (films/templates/films/includes/video_facade.html).
 *
 * Until a viewer presses play, a page asks a video's host for nothing: the facade is the
 * site's own poster and a link to the video's page at its host (which is what viewers
 * without JavaScript get). This script turns each link into a button; pressed, the button
 * gives way to the host's player, in its privacy-respecting form, and focus moves to it.
 * The player origins are the Content-Security-Policy's frame-src (config/settings/base.py).
 */
(function () {
  "use strict";

  var PLAYER_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://player.pbs.org",
  ];

  function playerUrl(link) {
    var url;
    try {
      url = new URL(link.getAttribute("data-play-url"));
    } catch (error) {
      return null;
    }
    return PLAYER_ORIGINS.indexOf(url.origin) === -1 ? null : url;
  }

  function play(button, url, title) {
    var facade = button.closest("[data-video-facade]");
    var stage = button.parentNode;
    var player = document.createElement("iframe");
    player.className = "video-facade__player";
    player.title = title;
    player.allow = "autoplay; fullscreen; picture-in-picture";
    player.allowFullscreen = true;
    player.referrerPolicy = "strict-origin-when-cross-origin";
    player.src = url.href;
    stage.replaceChildren(player);
    facade.classList.add("video-facade--playing");
    player.focus();
  }

  function upgrade(facade) {
    var link = facade.querySelector("a.video-facade__play");
    var url = link && playerUrl(link);
    if (!url) {
      return; // the plain link still takes the viewer to the video
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    Array.prototype.forEach.call(link.childNodes, function (child) {
      if (!(child.nodeType === 1 && child.hasAttribute("data-link-only"))) {
        button.appendChild(child.cloneNode(true));
      }
    });
    var title = link.getAttribute("data-player-title");
    button.addEventListener("click", function () {
      play(button, url, title);
    });
    link.replaceWith(button);
  }

  document.querySelectorAll("[data-video-facade]").forEach(function (facade) {
    if (!facade.hasAttribute("data-video-ready")) {
      facade.setAttribute("data-video-ready", "");
      upgrade(facade);
    }
  });
})();
