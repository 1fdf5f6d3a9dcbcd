"""One page of each public type in the demo content: what the checks and benchmarks visit."""

BROADCAST_UID = "6f1c2b7e-5d1a-4c1e-9b7e-2013022522ee"

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
}
NOT_FOUND = "/no-such-page/"
