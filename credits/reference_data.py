"""The default carbon project record, loaded by migration; every value is editable data."""

import datetime

DEFAULT_PROJECT = {
    "name": "Acopagro – Alto Huayabamba reforestation",
    "standard": "VCS (Verra)",
    "methodology": "AR-ACM0003 – Afforestation and reforestation of lands except wetlands",
    "registry_project_id": "0000",
    "serial_prefix": "ACOPAGRO",
    "country_code": "PE",
    "sectoral_scope": 14,
    "equation": "chave2014",
    "root_shoot_ratio": "0.200",
    "carbon_fraction": "0.470",
    "buffer_share": "0.200",
    "producer_revenue_share": "0.600",
    "small_tree_co2e_t": "0.003000",
    "crediting_start": datetime.date(2008, 1, 1),
    "crediting_end": datetime.date(2047, 12, 31),
    "co2e_target_t": "720000.00",
    "co2e_target_years": 20,
    "sources": (
        "Equation: Chave et al. 2014, Glob. Change Biol. 20:3177, AGB = 0.0673 (rho D^2 H)^0.976.\n"
        "Root-to-shoot ratio per plot: IPCC 2006 GL vol. 4 table 4.4, tropical moist forest, "
        "0.20 for AGB <= 125 t/ha, 0.24 above (the fixed ratio 0.20 applies only with the "
        "'fixed' rule).\n"
        "Trees under 5 cm DBH or measured at the collar count 0: Chave et al. 2014 is "
        "calibrated from 5 cm DBH.\n"
        "Unmeasured trees (no sample tree in their stratum) count 0: conservative default.\n"
        "Sampling error: 90% confidence half-width at most 10% of the mean, else the excess "
        "is deducted (VCS VM0047; CDM AR-Tool14).\n"
        "Carbon fraction 0.47: IPCC 2006 GL vol. 4 table 4.3.\n"
        "Buffer share 0.20: Plan Vivo default; Verra sets it per project with the AFOLU "
        "non-permanence risk tool.\n"
        "Producer revenue share 0.60: Plan Vivo minimum.\n"
        "Crediting period 40 years: VCS validation by Rainforest Alliance, 2011-12-14.\n"
        "Target 720,000 t CO2 over 20 years: Alter Eco / Acopagro, 2008.\n"
        "Registry project ID: to be entered from the registry."
    ),
}
