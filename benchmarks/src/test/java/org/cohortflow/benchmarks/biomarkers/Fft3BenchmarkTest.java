package org.cohortflow.benchmarks.biomarkers;

import org.junit.jupiter.api.Test;

/** The benchmark compares like with like: Fft3 and JTransforms give one spectrum on the layouts it maps. */
class Fft3BenchmarkTest {

    @Test
    void fft3AndJTransformsAgreeOnNonCubicFiveSmoothGrids() {
        Fft3Benchmark.requireSameSpectrum(30, 24, 20);
        Fft3Benchmark.requireSameSpectrum(16, 45, 8);
        Fft3Benchmark.requireSameSpectrum(64, 64, 64);
    }
}
