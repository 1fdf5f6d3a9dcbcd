/* Tell the server the editor's time zone, so admin times are shown and read in it. */
(function () {
  "use strict";
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.includes("editor_tz=" + encodeURIComponent(zone))) {
      // Takes effect from the next page the editor opens.
      document.cookie = "editor_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) {
    /* Older browsers: times stay in the site's zone. */
  }
})();
