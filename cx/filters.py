"""The segment a user is looking at: wave, sectors, size bands, regions."""

from __future__ import annotations

from dataclasses import dataclass

FILTER_QUESTIONS = ("sector", "size_band", "region")


@dataclass(frozen=True)
class Filters:
    wave: int | None = None
    sectors: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # read the privacy layer's published table (everyone but analysts), not the responses;
    # the values above are then published groups (cx.privacy.admit)
    published: bool = False

    def params(self) -> dict[str, object]:
        """Bound parameters for the store's filter clause."""
        return {
            "wave": self.wave,
            "sectors": list(self.sectors),
            "size_bands": list(self.size_bands),
            "regions": list(self.regions),
        }

    @property
    def is_all(self) -> bool:
        """No wave and no segment chosen (whichever table is read)."""
        return self.wave is None and not (self.sectors or self.size_bands or self.regions)


ALL = Filters()
