"""``python -m bench``: the scale benchmark (``bench/scale.py``); the other benchmarks run as
``python -m bench.segmentation``, ``bench.summarizers`` and ``bench.alignment``."""

from bench.scale import main

raise SystemExit(main())
