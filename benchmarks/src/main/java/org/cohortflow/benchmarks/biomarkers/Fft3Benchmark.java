package org.cohortflow.benchmarks.biomarkers;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cohortflow.biomarkers.morphology.Fft3;
import org.jtransforms.fft.DoubleFFT_3D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The module's hand-written mixed-radix {@link Fft3} against JTransforms' {@link DoubleFFT_3D} (issue 18, item 5):
 * one complex 3D forward transform and its scaled inverse per operation, on one thread (JTransforms is set to one
 * thread, the JVM to one processor), on cubes of the sizes the IBSI 2 filters transform: 64 (a phase 1 phantom,
 * periodic), 128 (the phantom padded by half per side), 160 and 200 (5-smooth sizes of padded CT regions that are
 * not powers of two) and 256. Fft3 works on separate real and imaginary arrays, JTransforms on one interleaved
 * array; {@code jtransformsWithCopies} adds the interleaving both ways that adopting it in the filters would cost.
 * Setup checks that both give the same spectrum (relative 1e-9) before anything is timed.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx6g -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *     org.openjdk.jmh.Main Fft3Benchmark -f 1 -wi 1 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:ActiveProcessorCount=1"})
public class Fft3Benchmark {

    @Param({"64", "128", "160", "200", "256"})
    public int size;

    private Fft3 fft3;
    private DoubleFFT_3D jt;
    private double[] re;
    private double[] im;
    private double[] interleaved;

    @Setup
    public void setUp() {
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        fft3 = new Fft3(size, size, size);
        jt = new DoubleFFT_3D(size, size, size);
        re = noise(size * size * size, 11);
        im = noise(re.length, 12);
        interleaved = interleave(re, im);
        requireSameSpectrum(size, size, size);
    }

    @Benchmark
    public double fft3() {
        fft3.forward(re, im);
        fft3.inverse(re, im);
        return re[1];
    }

    @Benchmark
    public double jtransforms() {
        jt.complexForward(interleaved);
        jt.complexInverse(interleaved, true);
        return interleaved[2];
    }

    @Benchmark
    public double jtransformsWithCopies() {
        double[] a = interleave(re, im);
        jt.complexForward(a);
        jt.complexInverse(a, true);
        for (int i = 0; i < re.length; i++) {
            re[i] = a[2 * i];
            im[i] = a[2 * i + 1];
        }
        return re[1];
    }

    /**
     * Fails unless both transforms give the same spectrum of random data on a {@code nx x ny x nz} grid, x fastest
     * (Fft3's layout; JTransforms' slices, rows, columns are z, y, x).
     */
    static void requireSameSpectrum(int nx, int ny, int nz) {
        double[] r = noise(nx * ny * nz, 5), i = noise(r.length, 6);
        double[] a = interleave(r, i);
        new Fft3(nx, ny, nz).forward(r, i);
        new DoubleFFT_3D(nz, ny, nx).complexForward(a);
        double max = 0, diff = 0;
        for (int k = 0; k < r.length; k++) {
            max = Math.max(max, Math.hypot(r[k], i[k]));
            diff = Math.max(diff, Math.hypot(r[k] - a[2 * k], i[k] - a[2 * k + 1]));
        }
        if (!(diff <= 1e-9 * max)) {
            throw new IllegalStateException("Fft3 and JTransforms differ on " + nx + " x " + ny + " x " + nz + ": " + diff
                    + " of " + max);
        }
    }

    static double[] noise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int k = 0; k < n; k++) v[k] = random.nextDouble() - 0.5;
        return v;
    }

    static double[] interleave(double[] re, double[] im) {
        double[] a = new double[2 * re.length];
        for (int k = 0; k < re.length; k++) {
            a[2 * k] = re[k];
            a[2 * k + 1] = im[k];
        }
        return a;
    }
}
