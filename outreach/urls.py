app_name = "outreach"

urlpatterns: list = [
    # Filled in as the pages are built: host a screening, private links, RSVPs, resources.
]
