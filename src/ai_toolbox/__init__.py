"""AI Toolbox: self-hosted AI tools for documents, enquiries and data analysis."""

import os

__version__ = "0.1.0"

# The native engines we load (the e5 embedder, llama.cpp) use OpenMP. By default its idle threads
# spin, which on a small shared server starves everything else: one e5 query took 1.4 s instead of
# 27 ms on 2 busy cores. Idle threads sleep instead, unless the administrator chose otherwise.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
