"""Demo data of the catalogue: the sourced Beijing parks (parks/data/beijing_parks.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from parklink.orgs.services import org_dataset_load
from parklink.parks import dataset
from parklink.parks.services import park_dataset_load

PARKS_FILE = Path(__file__).resolve().parent / "data" / "beijing_parks.yaml"


def load(stdout: TextIO) -> None:
    records = dataset.load(PARKS_FILE)
    parks = park_dataset_load(records=records)
    orgs = org_dataset_load(records=records)
    stdout.write(
        f"园区 parks: {len(records)} ({parks['created']} new, {parks['updated']} updated); "
        f"机构 orgs: {orgs['created']} new\n"
    )
