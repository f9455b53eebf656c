"""Run the heavy batch jobs on this machine or on a Dask cluster, with one answer.

A job is split into *partitions* (the files of a Parquet dataset, or slices of one
file); one partition function does the work of a partition wherever it runs. The
``local`` executor calls it in this process; the ``dask`` executor hands it to the
workers of a Dask cluster (``CHIPGATE_DASK_SCHEDULER``, or a local cluster). What
cannot run in parallel, the draws on cumulative caps and the ledger commit, runs on
the client in date order, so both executors give the same decisions byte for byte
(docs/scale.md).
"""

from chipgate.executors.runner import Executor, make_executor

__all__ = ["Executor", "make_executor"]
