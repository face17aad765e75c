"""`covenant batch`: one deal evaluated over many fact sets (scenarios), streamed.

`scenarios` reads the rows of a CSV or JSON Lines file, `job` turns one row into
typed facts layered over a base fact file and evaluates the names asked for (a
picklable job, so that worker processes or a Dask cluster can run it), `results`
writes the answers, and `runner` feeds chunks of rows to one process, a pool of
processes or Dask, keeping the input order and a bounded number of chunks in flight."""
