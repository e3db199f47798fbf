"""What screening one upload may cost: bytes inflated and seconds spent, across every zip
member and PDF object stream of the upload together.

A 184 KB zip of three crafted PDFs, whose object streams inflate to 60 MB of names each, took
tens of seconds to screen and was then accepted. Screening now draws on one budget per upload;
a file that would take more is refused as too complex to check, never kept unchecked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MB = 1024 * 1024

# Bytes screening may inflate for one upload: the zip members it reads whole (PDFs, Office
# files and zips inside a zip) and the PDF object streams it decodes. A zip of ten scanned
# 15 MB PDFs fits; an archive built to inflate to gigabytes does not.
INFLATED_BYTES = 160 * MB
# PDF object streams hold only small objects (dictionaries, numbers, names: the page drawings
# and images are in other streams, never decoded): 16 MB of them is far beyond any real file.
OBJECT_STREAM_BYTES = 16 * MB
SECONDS = 8.0


class OverBudget(Exception):
    """Screening this upload would cost more than its budget allows."""


@dataclass
class Budget:
    inflated: int = INFLATED_BYTES
    object_streams: int = OBJECT_STREAM_BYTES
    seconds: float = SECONDS
    deadline: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def spend(self, inflated: int, object_stream: bool = False) -> None:
        """Count ``inflated`` bytes just produced; raise once the upload is over budget."""
        self.inflated -= inflated
        if object_stream:
            self.object_streams -= inflated
        if self.inflated < 0 or self.object_streams < 0:
            raise OverBudget
        self.tick()

    def tick(self) -> None:
        """Raise once the upload's time is up (called in every long loop)."""
        if time.monotonic() > self.deadline:
            raise OverBudget

    def room(self, object_stream: bool = False) -> int:
        """The most bytes the next inflation may produce (one more, to see it overflow)."""
        left = min(self.inflated, self.object_streams) if object_stream else self.inflated
        return max(left, 0) + 1
