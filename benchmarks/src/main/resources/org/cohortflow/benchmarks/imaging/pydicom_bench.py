"""pydicom side of ImagingBenchmark: the same two workloads on the same files, timed inside Python.

Usage: pydicom_bench.py FILE_LIST SERIES_LIST REPEAT WARMUP WORKERS
  FILE_LIST    one path per line: the files to index (headers only)
  SERIES_LIST  one series per line, its files separated by tabs: the series to load into volumes
Prints one JSON object on stdout. Times exclude interpreter start-up and imports, which are reported
separately, and pool start-up, so that only reading is compared.
"""
import time

T_START = time.perf_counter()

import json  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pydicom  # noqa: E402

T_IMPORTED = time.perf_counter()

# The columns of `cohortflow index`; reading them makes pydicom convert the raw elements (it is lazy).
FIELDS = ("PatientID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "Modality", "Rows", "Columns",
          "SeriesDescription")


def index_file(path):
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    return tuple(ds.get(k) for k in FIELDS)


def index_files(paths):
    return [index_file(p) for p in paths]


def load_series(paths):
    """Reads a series into one 3-D array as DicomSeriesReader does: sorted along the slice normal, rescaled,
    16-bit when slope 1 and an integer intercept, else float32. Returns (voxels, sum) so that the parent
    can check it read the same thing without the array being pickled back."""
    slices = [pydicom.dcmread(p) for p in paths]
    o = np.array([float(v) for v in slices[0].ImageOrientationPatient])
    normal = np.cross(o[:3], o[3:])
    slices.sort(key=lambda d: float(np.dot(normal, [float(v) for v in d.ImagePositionPatient])))
    slopes = [float(getattr(d, "RescaleSlope", 1) or 1) for d in slices]
    inters = [float(getattr(d, "RescaleIntercept", 0) or 0) for d in slices]
    as_short = all(s == 1 for s in slopes) and all(i == int(i) for i in inters)
    first = slices[0]
    vol = np.empty((len(slices), first.Rows, first.Columns), dtype=np.int16 if as_short else np.float32)
    for k, d in enumerate(slices):
        px = d.pixel_array
        if as_short:
            vol[k] = px.astype(np.int32) + int(inters[k])
        else:
            vol[k] = px.astype(np.float32) * np.float32(slopes[k]) + np.float32(inters[k])
    return int(vol.size), float(vol.sum(dtype=np.float64))


def timed(fn, repeat, warmup):
    """Median-ready times of `repeat` runs after `warmup` untimed ones; the first run's time is kept too."""
    result = None
    first = None
    for _ in range(warmup):
        t = time.perf_counter()
        result = fn()
        first = first if first is not None else time.perf_counter() - t
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result, first if first is not None else times[0]


def main():
    file_list, series_list, repeat, warmup, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    with open(file_list) as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    with open(series_list) as f:
        series = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    out = {"pydicom_version": pydicom.__version__, "numpy_version": np.__version__, "python_version": sys.version.split()[0],
           "import_seconds": T_IMPORTED - T_START}

    times, rows, first = timed(lambda: index_files(files), repeat, warmup)
    out["index_single"] = {"seconds": times, "first_run_seconds": first, "files": len(files), "rows_with_series_uid": sum(1 for r in rows if r[2])}
    times, loaded, first = timed(lambda: [load_series(s) for s in series], repeat, warmup)
    out["load_single"] = {"seconds": times, "first_run_seconds": first, "series": len(series), "voxels": [v for v, _ in loaded], "sums": [s for _, s in loaded]}

    if workers > 1:
        t = time.perf_counter()
        with multiprocessing.Pool(workers) as pool:
            pool_start = time.perf_counter() - t
            chunk = max(1, len(files) // (workers * 8))
            times, rows, first = timed(lambda: pool.map(index_file, files, chunksize=chunk), repeat, warmup)
            out["index_pool"] = {"seconds": times, "first_run_seconds": first, "files": len(files), "workers": workers, "pool_start_seconds": pool_start,
                                 "rows_with_series_uid": sum(1 for r in rows if r[2])}
            times, loaded, first = timed(lambda: pool.map(load_series, series, chunksize=1), repeat, warmup)
            out["load_pool"] = {"seconds": times, "first_run_seconds": first, "series": len(series), "workers": workers,
                                "voxels": [v for v, _ in loaded], "sums": [s for _, s in loaded]}
    out["elapsed_seconds"] = time.perf_counter() - T_START
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
