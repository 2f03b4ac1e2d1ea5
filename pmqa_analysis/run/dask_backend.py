"""The Dask backend: units on the workers of a Dask distributed cluster.

The jobs are the same as on the local backend (:func:`~pmqa_analysis.run.unit_job.run_unit`
on each worker, which keeps its own warm kernels); a unit whose worker died or could not
import the job is recorded as failed, and each worker's kernels are stopped at the end.
Needs the optional ``dask`` extra (``distributed``), imported only here and only when used.

Examples
--------
>>> run_dask([], "tcp://127.0.0.1:1", bar=None)
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pmqa_analysis.run.kernels import shutdown_kernels
from pmqa_analysis.run.unit_job import UnitJob, failed_record, run_unit

__all__ = ["run_dask"]


def run_dask(jobs: Sequence[UnitJob], scheduler: str, bar: Any) -> list[dict[str, Any]]:
    """Run the jobs on the cluster at ``scheduler``; records in the jobs' order.

    ``bar`` (tqdm) advances once a unit.
    """
    if not jobs:
        return []
    from distributed import Client

    records: list[dict[str, Any]] = []
    with Client(scheduler, set_as_default=False) as client:
        futures = client.map(run_unit, list(jobs), pure=False)
        try:
            for fut, job in zip(futures, jobs, strict=True):
                try:
                    records.append(fut.result())
                except Exception as exc:  # the worker died or could not import the job
                    records.append(failed_record(job, exc))
                bar.update(1)
        finally:
            client.run(shutdown_kernels)
    return records
