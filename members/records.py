"""The fields a person records for a plot, in the order the form, imports and the API show them.

Beside `members.models.MEMBER_RECORD_FIELDS`; each way in adds its own key fields (code, member).
"""

# What the plot is and where it lies: every way in records these.
PLOT_DESCRIPTION_FIELDS = ("name", "land_use", "area_ha", "latitude", "longitude", "altitude_m")
# The EUDR declaration of the plot's land use on 31 December 2020, and who made it when.
PLOT_LAND_USE_2020_FIELDS = (
    "land_use_2020",
    "land_use_2020_declared_by",
    "land_use_2020_declared_on",
)
