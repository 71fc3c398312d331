"""Agreement tracking: statements, votes, sector and opinion-group analysis, outcomes ledger and mediation."""

import os

# One BLAS thread: analysis results must not depend on how work is split between threads. This runs
# before any module of this package imports NumPy (it has no effect if NumPy was loaded earlier).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
