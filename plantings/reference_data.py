"""Reference data loaded by migration: the programme record and the species planted.

Wood densities: Global Wood Density Database v2 species estimates as packaged in the BIOMASS R
package 3.0 (`getWoodDensity`); v1 species means (Chave et al. 2009; Zanne et al. 2009) were
higher for bolaina, shaina, caoba, cedro and tornillo (docs/carbon.md has both columns).
Growth parameters are the project's stated assumption, not measurements: a monomolecular curve
D(t) = Dmax (1 - e^(-k t)) with k chosen so that trees grown under cacao shade reach roughly
1-1.5 cm of DBH a year in their first two decades. Replace them with fitted curves when the
monitoring data allow (docs/carbon.md).
"""

GWDD = "GWDD v2 species estimate (BIOMASS R package 3.0), sd {sd}"
GROWTH = "Assumption: monomolecular curve, agroforestry growth of ~1-1.5 cm DBH/yr"

SPECIES = [
    # scientific name, local name, other names, wood density, sd, Dmax cm, Hmax m, k, survival
    (
        "Swietenia macrophylla",
        "Caoba",
        "mahogany, acajou",
        "0.486",
        "0.076",
        70,
        32,
        "0.020",
        "0.80",
    ),
    ("Cedrela odorata", "Cedro", "Spanish cedar", "0.418", "0.072", 65, 30, "0.022", "0.75"),
    ("Calycophyllum spruceanum", "Capirona", "", "0.705", "0.086", 45, 30, "0.030", "0.85"),
    ("Guazuma crinita", "Bolaina", "bolaina blanca", "0.486", "0.101", 35, 25, "0.045", "0.80"),
    ("Cedrelinga cateniformis", "Tornillo", "", "0.472", "0.102", 90, 40, "0.015", "0.80"),
    ("Colubrina glandulosa", "Shaina", "", "0.663", "0.085", 40, 25, "0.030", "0.85"),
    (
        "Schizolobium amazonicum",
        "Pinochuncho",
        "pashaco",
        "0.382",
        "0.128",
        55,
        30,
        "0.040",
        "0.75",
    ),
    ("Myroxylon balsamum", "Estoraque", "balsamo", "0.774", "0.070", 50, 25, "0.020", "0.85"),
]
# GWDD v1 species means (n), replaced by migration 0005 where a row still holds them.
GWDD_V1 = {
    "Swietenia macrophylla": ("0.520", 11),
    "Cedrela odorata": ("0.447", 14),
    "Calycophyllum spruceanum": ("0.719", 6),
    "Guazuma crinita": ("0.560", 3),
    "Cedrelinga cateniformis": ("0.504", 15),
    "Colubrina glandulosa": ("0.739", 3),
    "Schizolobium amazonicum": ("0.347", 8),
    "Myroxylon balsamum": ("0.776", 7),
}


def species_rows():
    for name, local, other, rho, sd, dmax, hmax, k, survival in SPECIES:
        yield {
            "scientific_name": name,
            "local_name": local,
            "other_names": other,
            "native": True,
            "wood_density_g_cm3": rho,
            "wood_density_source": GWDD.format(sd=sd),
            "growth_dbh_max_cm": dmax,
            "growth_height_max_m": hmax,
            "growth_rate_per_year": k,
            "expected_survival": survival,
            "growth_source": GROWTH,
        }
