vcl 4.1;
# Varnish in front of the site's app servers (README: "When the site outgrows one machine").
#
# The app decides what may be shared: a public page answers
#   Cache-Control: public, max-age=0, s-maxage=N, must-revalidate
#   xkey: interviews.interview:12 interviews.interview:* ...
# where N runs to the page's next scheduled change (a go-live, an expiry, a screening), and
# after a save the app sends `PURGE /` with `xkey-purge: <keys>` (cms/page_cache/http_purge.py).
# Everything else (admin, signed-in staff, previews, share links, forms) is passed or is
# `private`, and is never stored here.
#
# The backends, the director `app` and the ACLs `purgers` and `upstream` come from
# backends.vcl, written by deploy/varnish/run.py from the environment (found on vcl_path).

import cookie;
import directors;
import std;
import xkey;

include "backends.vcl";

acl localhost {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ localhost && client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Send the keys to purge in an xkey-purge header"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged + " objects"));
    }

    # The viewer's address and scheme. Varnish has appended client.ip to X-Forwarded-For
    # already; from anyone but a trusted TLS terminator or load balancer both headers are
    # replaced, so a forged one never reaches the app (config/proxy.py reads them).
    if (client.ip !~ localhost && client.ip !~ upstream) {
        set req.http.X-Forwarded-For = client.ip;
        unset req.http.X-Forwarded-Proto;
    }
    if (req.http.X-Forwarded-Proto != "https" && req.http.X-Forwarded-Proto != "http") {
        if (std.port(server.ip) == 443) {
            set req.http.X-Forwarded-Proto = "https";
        } else {
            set req.http.X-Forwarded-Proto = "http";
        }
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # The admin, share links, accounts, and the forms and private links of outreach (hosting
    # a screening, RSVPs): personal or per-viewer, never shared.
    if (req.url ~ "^/(admin|share|accounts|host|rsvp)(/|$)"
        || req.url ~ "^/films/[^/]+/host/"
        || req.url ~ "^/screenings/[^/]+/rsvp/") {
        return (pass);
    }
    if (req.http.Cookie) {
        # Signed in (staff: previews, their own edits) or a message waiting to be shown.
        if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
            return (pass);
        }
        # Keep only Django's CSRF cookie (a form page needs it; a form page is `private`
        # and so never stored); analytics and other cookies do not reach the app.
        cookie.parse(req.http.Cookie);
        cookie.keep("csrftoken");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # Not Varnish's built-in rule, which would pass every request with a cookie.
    return (hash);
}

sub vcl_hash {
    # A page holds absolute addresses (canonical links, structured data): one entry per
    # host and scheme.
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_pass {
    set req.http.X-Cache-Verdict = "PASS";
}

sub vcl_backend_response {
    # Surrogate-Key (Fastly's spelling) serves as xkey when the app sends only that.
    if (!beresp.http.xkey && beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Stored only when the app says so: shared, with a lifetime, and no cookie.
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)=[1-9]"
        || (beresp.status != 200 && beresp.status != 301 && beresp.status != 404)) {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # Public and shared means the same page for every anonymous viewer: the only cookie
    # left on such a request (csrftoken) does not change it, though Django says
    # `Vary: Cookie` whenever a template looked at the session. Varying on it would keep
    # one copy per viewer. (A page with a CSRF token in it is `private`, never stored.)
    if (beresp.http.Vary ~ "(?i)cookie") {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*cookie\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^[\s,]+|[\s,]+$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # must-revalidate: nothing stale is served past s-maxage (a scheduled page goes live on
    # its moment), so no grace.
    if (beresp.http.Cache-Control ~ "(?i)must-revalidate") {
        set beresp.grace = 0s;
    }
    return (deliver);
}

sub vcl_deliver {
    if (req.http.X-Cache-Verdict) {
        set resp.http.X-Cache = req.http.X-Cache-Verdict;
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this cache only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Via;
}

sub vcl_synth {
    if (req.http.X-Purged) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
}
