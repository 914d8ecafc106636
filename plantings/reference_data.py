"""Reference data loaded by migration: the programme record and the species planted.

Wood densities: Global Wood Density Database v1 species means (Chave et al. 2009; Zanne et al.
2009), as packaged in the BIOMASS R package; see ../shared/brief/domain.md.
Growth parameters are the project's stated assumption, not measurements: a monomolecular curve
D(t) = Dmax (1 - e^(-k t)) with k chosen so that trees grown under cacao shade reach roughly
1-1.5 cm of DBH a year in their first two decades. Replace them with fitted curves when the
monitoring data allow (docs/carbon.md).
"""

GWDD = "GWDD v1 species mean (BIOMASS R package), n={n}"
GROWTH = "Assumption: monomolecular curve, agroforestry growth of ~1-1.5 cm DBH/yr"

SPECIES = [
    # scientific name, local name, other names, wood density, n, Dmax cm, Hmax m, k, survival
    ("Swietenia macrophylla", "Caoba", "mahogany, acajou", "0.520", 11, 70, 32, "0.020", "0.80"),
    ("Cedrela odorata", "Cedro", "Spanish cedar", "0.447", 14, 65, 30, "0.022", "0.75"),
    ("Calycophyllum spruceanum", "Capirona", "", "0.719", 6, 45, 30, "0.030", "0.85"),
    ("Guazuma crinita", "Bolaina", "bolaina blanca", "0.560", 3, 35, 25, "0.045", "0.80"),
    ("Cedrelinga cateniformis", "Tornillo", "", "0.504", 15, 90, 40, "0.015", "0.80"),
    ("Colubrina glandulosa", "Shaina", "", "0.739", 3, 40, 25, "0.030", "0.85"),
    ("Schizolobium amazonicum", "Pinochuncho", "pashaco", "0.347", 8, 55, 30, "0.040", "0.75"),
    ("Myroxylon balsamum", "Estoraque", "balsamo", "0.776", 7, 50, 25, "0.020", "0.85"),
]


def species_rows():
    for name, local, other, rho, n, dmax, hmax, k, survival in SPECIES:
        yield {
            "scientific_name": name,
            "local_name": local,
            "other_names": other,
            "native": True,
            "wood_density_g_cm3": rho,
            "wood_density_source": GWDD.format(n=n),
            "growth_dbh_max_cm": dmax,
            "growth_height_max_m": hmax,
            "growth_rate_per_year": k,
            "expected_survival": survival,
            "growth_source": GROWTH,
        }
