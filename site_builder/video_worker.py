"""Render one Manim scene to a raw MP4, in its own process (site_builder.videos starts it).

    python -m site_builder.video_worker SCENE_FILE CLASS QUALITY MEDIA_DIR

A process per scene keeps Manim's global config and caches from leaking between scenes, and
lets several render at once.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .videos import PROJECT_ROOT, QUALITIES


def render_scene(scene_file: str, class_name: str, quality: str, media_dir: str) -> None:
    sys.path[:0] = [str(PROJECT_ROOT), str(Path(scene_file).parent)]
    from manim import config
    width, height, fps = QUALITIES[quality]
    config.pixel_width, config.pixel_height, config.frame_rate = width, height, fps
    config.media_dir = media_dir
    config.video_dir = media_dir
    config.images_dir = media_dir
    config.partial_movie_dir = str(Path(media_dir) / "partial")
    config.output_file = "scene"
    config.disable_caching = True
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    config.write_to_movie = True
    spec = importlib.util.spec_from_file_location(f"scene_{Path(scene_file).stem}", scene_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    getattr(module, class_name)().render()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: python -m site_builder.video_worker SCENE_FILE CLASS QUALITY MEDIA_DIR")
    render_scene(*sys.argv[1:])
