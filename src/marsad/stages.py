"""The built-in stages, imported here so that they register themselves (see marsad.pipeline).

Order of the default pipeline: language → blocks → metadata → sentences → tokens → extraction
stages (dates, quantities, entities, quotes). `marsad stages` prints it.
"""

import marsad.clean.blocks
import marsad.clean.metadata
import marsad.extract.dates
import marsad.extract.entities
import marsad.extract.quantities
import marsad.extract.quotes
import marsad.text.language
import marsad.text.segment  # noqa: F401
