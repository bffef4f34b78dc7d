package org.cohortflow.benchmarks.biomarkers;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.feature.FeatureList;
import org.cohortflow.biomarkers.image.DiscretisedImage;
import org.cohortflow.biomarkers.image.RoiImage;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.cohortflow.biomarkers.processing.Discretiser;
import org.cohortflow.biomarkers.settings.TextureSettings;
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
 * One IBSI feature family per benchmark on a generated 128 x 128 x 128 ROI (1 mm voxels, grey levels by a
 * fixed bin number of 32), single-threaded. The ROI is a lobed blob that fills most of the cube, with a
 * smooth intensity trend plus noise, so texture matrices are neither trivial nor degenerate.
 *
 * <pre>
 * java -Xmx4g -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *     org.openjdk.jmh.Main FamilyBenchmark -f 1 -wi 1 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:ActiveProcessorCount=1"})
public class FamilyBenchmark {
    /** Grid size per axis. */
    static final int SIZE = 128;

    @Param({"MORPHOLOGY", "LOCAL_INTENSITY", "INTENSITY_STATISTICS", "INTENSITY_HISTOGRAM", "INTENSITY_VOLUME_HISTOGRAM",
        "GLCM", "GLRLM", "GLSZM", "GLDZM", "NGTDM", "NGLDM"})
    public String family;

    private FeatureFamily which;
    private RoiImage roi;
    private DiscretisedImage levels;
    private final TextureSettings texture = TextureSettings.defaults();

    @Setup
    public void setUp() {
        which = FeatureFamily.valueOf(family);
        roi = blob(SIZE, 7);
        levels = Discretiser.apply(roi, Discretisation.fixedBinNumber(32));
    }

    @Benchmark
    public FeatureList compute() {
        return Families.compute(which, roi, levels, levels, texture);
    }

    /** A lobed blob in an {@code n}^3 cube of 1 mm voxels with CT-like integer intensities. */
    static RoiImage blob(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n * n * n];
        boolean[] mask = new boolean[values.length];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int i = x + n * (y + n * z);
                    double u = 2.0 * x / (n - 1) - 1, v = 2.0 * y / (n - 1) - 1, w = 2.0 * z / (n - 1) - 1;
                    double r = Math.sqrt(u * u + v * v + w * w);
                    double lobes = 0.85 + 0.12 * Math.cos(3 * Math.atan2(v, u)) * Math.cos(2 * Math.acos(r == 0 ? 0 : w / r));
                    mask[i] = r <= lobes;
                    values[i] = (float) Math.rint(40 + 60 * u - 30 * v * w + 80 * Math.sin(6 * r) + 25 * random.nextGaussian());
                }
            }
        }
        return RoiImage.of(new int[] {n, n, n}, new double[] {1, 1, 1}, values, mask);
    }
}
