"""The pages the benchmark measures, shared by the load test and the query counter."""

# (name, path, logged in?) ; {member} is replaced by the id of member ACO-00001.
PAGES = [
    ("healthz", "/healthz", False),
    ("dashboard", "/", True),
    ("reports: plantings", "/reports/plantings/", True),
    ("reports: survival", "/reports/survival/", True),
    ("reports: visit list", "/reports/visit-list/", True),
    ("reports: members", "/reports/members/", True),
    ("reports: carbon", "/reports/carbon/", True),
    ("reports: carbon over time", "/reports/carbon-over-time/", True),
    ("reports: credits", "/reports/credits/", True),
    ("reports: community", "/reports/community/?community={community}", True),
    ("map page", "/reports/map/", True),
    ("map GeoJSON", "/reports/map/plots.geojson", True),
    ("chart SVG", "/reports/plantings/chart/by-year.svg", True),
    ("member list", "/members/", True),
    ("member page", "/members/{member}/", True),
    ("members CSV (all)", "/reports/members/?format=csv", True),
]
