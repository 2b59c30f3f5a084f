"""The heavy stages past one machine: each file parsed into the column cache and its entries
masked and counted by shape where it is read (`partitions`), on this machine, in a process pool
or on Dask workers (`engine`); only the distinct shapes come back to be mined. Like
`investigation`, it composes `reading` and `analysis`."""
