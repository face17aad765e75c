"""Running a batch: rows cut into chunks, each chunk evaluated by the job in this
process, in a pool of worker processes, or on a Dask cluster; answers written in the
input order as they come, with a bounded number of chunks in flight (constant
memory, whatever the size of the scenario file)."""
from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections import deque
from collections.abc import Iterable
from pathlib import Path

from dsl.errors import UsageProblem
from interpreter.batch.job import BatchJob, Outcome
from interpreter.batch.scenarios import Chunk, RowChunk


class BatchStopped(Exception):
    """A bad row under `--on-error stop`; its text is the row's problem, rendered."""


class _Inline:
    """The job run in this process, one chunk at a time."""

    slots = 1

    def __init__(self, job: BatchJob):
        self.job = job

    def submit(self, chunk: Chunk):
        outcomes = self.job.run(chunk)
        return lambda: outcomes

    def close(self) -> None:
        pass


_WORKER_JOB: BatchJob | None = None


def _start_worker(job: BatchJob) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_in_worker(chunk: Chunk) -> list[Outcome]:
    return _WORKER_JOB.run(chunk)


class _Processes:
    """A pool of worker processes on this machine, each given the job once. The first
    chunk is evaluated in this process, before the pool starts: forked, the workers
    begin with what it worked out (the deal in force, its compiled terms, the rows'
    converters) instead of each working it out again. A chunk of JSON Lines is a range
    of the file, which the worker reads: this process only cuts the file and writes
    the answers, and leaves the cores to the workers."""

    def __init__(self, job: BatchJob, workers: int):
        self.job, self.slots, self.pool = job, workers, None

    def submit(self, chunk: Chunk):
        if self.pool is None:
            import multiprocessing

            outcomes = self.job.run(chunk)
            self.pool = multiprocessing.Pool(self.slots, initializer=_start_worker, initargs=(self.job,))
            return lambda: outcomes
        return self.pool.apply_async(_run_in_worker, (chunk,)).get

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def _run_on_dask(job: BatchJob, chunk: Chunk) -> list[Outcome]:
    return job.run(chunk)


class _Dask:
    """A Dask cluster: `local` starts one on this machine (`workers` processes, two by
    default), anything else is a scheduler's address. The job is sent to every worker
    once; each chunk is a task."""

    def __init__(self, job: BatchJob, scheduler: str, workers: int | None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageProblem("--dask needs Dask, an optional extra",
                               hint="pip install 'covenant[dask]' (or: pip install 'dask[distributed]')") from None
        self.cluster = None
        try:
            if scheduler == "local":
                self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError, ValueError) as error:
            self.close()
            raise UsageProblem(f"cannot reach the Dask scheduler `{scheduler}`: {error}",
                               hint="give its address, e.g. tcp://10.0.0.5:8786, or `local`") from None
        self.slots = max(sum(self.client.nthreads().values()), 1)
        [self.job] = self.client.scatter([job], broadcast=True)

    def submit(self, chunk: Chunk):
        # Sent as rows: a worker on another machine may not see the scenario file.
        rows = RowChunk(tuple(chunk.rows()))
        return self.client.submit(_run_on_dask, self.job, rows, pure=False).result

    def close(self) -> None:
        if getattr(self, "client", None) is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def run_batch(job: BatchJob, chunks: Iterable[Chunk], out: str, *, workers: int = 1, dask: str | None = None,
              on_error: str = "skip", total: int | None = None, problems=None) -> tuple[int, int]:
    """Evaluate every row, writing `out` (atomically); return (rows answered, rows
    skipped). Each skipped row's problem goes to `problems`; under `on_error="stop"`
    the first raises BatchStopped and nothing is written."""
    problems = problems or sys.stderr
    if dask is not None:
        engine = _Dask(job, dask, workers if workers > 1 else None)
    elif workers > 1:
        engine = _Processes(job, workers)
    else:
        engine = _Inline(job)
    target = Path(out)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                             prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        engine.close()
        raise UsageProblem(f"cannot write {out}: {error.strerror or error}") from None
    answered = skipped = 0
    bar = _progress(total)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink:
            if job.out_format == "csv":
                sink.write(",".join(["line", *job.names]) + "\n")
            pending: deque = deque()
            for chunk in chunks:
                pending.append((chunk.lines, engine.submit(chunk)))
                if len(pending) >= 2 * engine.slots:
                    answered, skipped = _drain(pending.popleft(), sink, bar, problems, on_error, answered, skipped)
            while pending:
                answered, skipped = _drain(pending.popleft(), sink, bar, problems, on_error, answered, skipped)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        engine.close()
        if bar is not None:
            bar.close()
    return answered, skipped


def _drain(entry, sink, bar, problems, on_error: str, answered: int, skipped: int) -> tuple[int, int]:
    size, result = entry
    for _line, text, problem in result():
        if problem is None:
            sink.write(text + "\n")
            answered += 1
        elif on_error == "stop":
            raise BatchStopped(problem)
        else:
            if bar is not None:
                bar.write(problem, file=problems)  # above the bar, which is drawn again below
            else:
                print(problem, file=problems)
            skipped += 1
    if bar is not None:
        bar.update(size)
    return answered, skipped


def _progress(total: int | None):
    """A progress bar on standard error, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked while the bar is up
    return tqdm(total=total, unit="row", file=sys.stderr, dynamic_ncols=True)
