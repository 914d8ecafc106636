"""The fields a person records for a species, after its names, in the order the form and the API
show them: other names, whether native, and the carbon model's parameters with their sources."""

SPECIES_DETAIL_FIELDS = (
    "other_names",
    "native",
    "wood_density_g_cm3",
    "wood_density_source",
    "growth_dbh_max_cm",
    "growth_height_max_m",
    "growth_rate_per_year",
    "expected_survival",
    "growth_source",
)
