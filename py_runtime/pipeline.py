"""A whole deepfake, frame in, frame out: detect, align, crop, swap, mask, colour-match, blend.

    first = pipeline.swap_crop(model, "A", params, "B")     # the part a slider waits for
    done = pipeline.finish(first, frame_size=128)           # the frame, the mask, the composite
    done.composite                                          # A's frame with B's face in it

The network (py_runtime.swap) only ever sees aligned 64×64 crops; everything around it is
py_runtime.align. Split in two so that a demo can show the swap as soon as it exists and
draw the frame and the blend after it.
"""
from __future__ import annotations

from typing import NamedTuple

from . import align, faces


class Crop(NamedTuple):
    identity: str
    params: dict
    marks: dict
    alignment: align.Alignment
    pixels: list


def aligned_crop(identity, params: dict | None = None) -> Crop:
    """Detect (the renderer's landmarks), align (a similarity onto the template), crop."""
    p = faces.clean_params(params)
    marks = faces.landmarks(identity, p)
    alignment = align.fit(marks)
    return Crop(identity, p, marks, alignment, faces.render(identity, p, align.crop_view(alignment)))


class Swapped(NamedTuple):
    crop: Crop
    target: str
    latent: list
    pixels: list


def swap_crop(model, driver: str, params: dict | None, target: str, latent_shift=None) -> Swapped:
    """The driver's aligned crop through the shared encoder and the target's decoder.

    `latent_shift` (a vector added to the code, e.g. k × the smile direction) edits it first."""
    crop = aligned_crop(driver, params)
    z = model.encode(crop.pixels)
    if latent_shift is not None:
        z = [zi + di for zi, di in zip(z, latent_shift)]
    return Swapped(crop, target, z, model.decode(z, target))


class Composite(NamedTuple):
    frame: list
    view: faces.View
    mask: list
    matched: list
    pixels: list


def finish(swapped: Swapped, frame_size: int = 128, colour: str = "mean") -> Composite:
    """Render the driver's whole frame, mask the face, match the swap's colours to it, blend."""
    crop = swapped.crop
    view = faces.frame_view(frame_size)
    frame = faces.render(crop.identity, crop.params, view)
    mask = align.face_mask(crop.marks, crop.alignment)
    matched = align.match_colours(swapped.pixels, crop.pixels, mask, colour)
    return Composite(frame, view, mask, matched, align.composite(frame, view, matched, mask, crop.alignment))
