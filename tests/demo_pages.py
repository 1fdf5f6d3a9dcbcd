"""One page of each public type in the demo content: what the checks and benchmarks visit."""

BROADCAST_UID = "6f1c2b7e-5d1a-4c1e-9b7e-2013022522ee"
COMMUNITY_UID = "9e2d6a41-7b3c-4f8e-a5d2-2027022518cc"  # takes RSVPs on the site

DEMO_PAGES = {
    "home": "/",
    "films": "/films/",
    "film": "/films/ai-weiwei-never-sorry/",
    "interviews": "/interviews/",
    "interview": "/interviews/alison-klayman-on-filming-ai-weiwei/",
    "screenings": "/screenings/",
    "past-screenings": "/screenings/past/",
    "screening": f"/screenings/{BROADCAST_UID}/",
    "watch": "/watch/",
    "blog": "/blog/",
    "post": "/blog/lisa-tawil-joins-the-international-board-of-input/",
    "tag": "/tags/china/",
    "search": "/search/?q=sundance",
    "resources": "/resources/?grade=9-12&subject=civics",
    "resource": "/resources/ai-weiwei-never-sorry-discussion-guide/",
    "host": "/host/",
    "host-film": "/films/ai-weiwei-never-sorry/host/",
    "rsvp": f"/screenings/{COMMUNITY_UID}/rsvp/",
}
NOT_FOUND = "/no-such-page/"
