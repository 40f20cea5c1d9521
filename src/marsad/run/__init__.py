"""Running a batch: the per-article pipeline, one process, worker processes or Dask."""
