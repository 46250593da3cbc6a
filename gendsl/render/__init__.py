"""Rendering: seeds, generation modes, noise variations, files with metadata, grids, morphs, restore.

    seeds.py    which seed (and variation seed) each image gets: increment, fixed, random
    jobs.py     which scene text each image gets: random, combinatorial, cyclic
    noise.py    a model's noise, variation seeds mixed in by slerp
    draw.py     jobs -> images with a model; the metadata each image carries
    files.py    PNGs with metadata, display upscaling, sidecars
    grids.py    contact sheets and labelled grids over any parameter
    morph.py    morphs through conditioning and noise, as GIFs and frames
    sketch.py   a whole sketch into a folder
    restore.py  an image made again from its PNG
"""
from .draw import draw_jobs, job_metadata, model_fields
from .files import png_bytes, read_metadata, upscale
from .grids import contact_sheet, labelled_sheet, render_grid
from .jobs import Job, file_names, plan, slug
from .morph import morph_frames
from .noise import slerp
from .restore import Restored, remake, restore_file
from .seeds import Seeds, as_seeds, run_seeds
from .sketch import render_morphs, render_sketch, sketch_seeds

__all__ = ["Job", "Restored", "Seeds", "as_seeds", "contact_sheet", "draw_jobs", "file_names", "job_metadata",
           "labelled_sheet", "model_fields", "morph_frames", "plan", "png_bytes", "read_metadata", "remake",
           "render_grid", "render_morphs", "render_sketch", "restore_file", "run_seeds", "sketch_seeds", "slerp",
           "slug", "upscale"]
