"""Spanish here is Peru's Spanish: the catalogue is locale/es/, the formats es_PE's."""

from core.formats.es_PE.formats import *  # noqa: F403
