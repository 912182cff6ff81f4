"""What the benchmarks share (not a benchmark: ``make bench`` runs only ``bench/*.py``)."""
