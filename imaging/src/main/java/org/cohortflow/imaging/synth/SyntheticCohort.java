package org.cohortflow.imaging.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;

/**
 * Writes synthetic cohorts as real DICOM: per subject a CT series and an RT Structure Set whose ROI
 * {@value SyntheticSubject#ROI_NAME} outlines a lesion of known analytic shape, plus a {@code truth.csv}
 * with the drawn shapes and their analytic volumes.
 *
 * <p>Layout of a cohort folder {@code OUT}:
 * <pre>
 * OUT/truth.csv                                one {@link SubjectTruth} row per subject
 * OUT/dicom/synth-0001/CT/CT_0001.dcm ...      the CT series, one file per slice (CT Image Storage)
 * OUT/dicom/synth-0001/RTSTRUCT/rtstruct.dcm   the structure set (RT Structure Set Storage)
 * </pre>
 * The DICOM files have a folder of their own so that {@code OUT/dicom} is a pure DICOM tree: indexing it
 * reports no unreadable files, as indexing {@code OUT} would for {@code truth.csv}.
 *
 * <p>Everything, including the UIDs, follows from the cohort seed: the same seed and options give
 * byte-identical files, and subject {@code i} is the same whatever the number of subjects. UIDs are
 * {@code 2.25.<n>} where {@code n} is a name-based UUID of the seed, the subject index and the object, read
 * as an unsigned integer (DICOM PS3.5 B.2), so cohorts with different seeds never share a UID.
 */
public final class SyntheticCohort {
    /** File name of the truth table inside the cohort folder. */
    public static final String TRUTH_CSV = "truth.csv";
    /** Folder of the DICOM tree inside the cohort folder; it holds one folder per subject. */
    public static final String DICOM_DIR = "dicom";
    /** Folder of the CT series inside a subject folder. */
    public static final String CT_DIR = "CT";
    /** The RTSTRUCT file inside a subject folder. */
    public static final String RTSTRUCT_FILE = "RTSTRUCT/rtstruct.dcm";

    private final SynthOptions options;
    private final long seed;

    /** A cohort drawn with {@code options} from {@code seed}. */
    public SyntheticCohort(SynthOptions options, long seed) {
        this.options = Objects.requireNonNull(options, "options");
        this.seed = seed;
    }

    public SynthOptions options() { return options; }

    public long seed() { return seed; }

    /** Subject id of the subject with 0-based {@code index}: {@code synth-0001} for index 0. */
    public static String subjectId(int index) {
        return String.format("synth-%04d", index + 1);
    }

    /** The subject with 0-based {@code index}; independent of how many subjects are written. */
    public SyntheticSubject subject(int index) {
        if (index < 0) throw new IllegalArgumentException("negative subject index " + index);
        long subjectSeed = mix(seed, index);
        SplittableRandom rng = new SplittableRandom(subjectSeed);
        int nx = options.columns(), ny = options.rows(), nz = options.slices();
        double ps = options.pixelSpacingMm(), dz = options.sliceSpacingMm();
        // Centred in-plane as scanners reconstruct; the table height and the couch position vary per subject.
        double[] origin = {
            round2(-(nx - 1) * ps / 2),
            round2(-(ny - 1) * ps / 2 + uniform(rng, -15, 15)),
            round2(uniform(rng, -400, -100))};
        Geometry g = Geometry.of(nx, ny, nz, origin, new double[] {ps, ps, dz});

        LesionShape shape = options.shapes().get(rng.nextInt(options.shapes().size()));
        double lo = options.minRadiusMm(), hi = options.maxRadiusMm();
        double[] radii;
        double[] axes;
        if (shape == LesionShape.SPHERE) {
            double r = uniform(rng, lo, hi);
            radii = new double[] {r, r, r};
            axes = new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        } else {
            radii = new double[] {uniform(rng, lo, hi), uniform(rng, lo, hi), uniform(rng, lo, hi)};
            axes = randomRotation(rng);
        }
        double bound = Math.max(radii[0], Math.max(radii[1], radii[2]));
        double roomX = SynthOptions.bodySemiAxisX(nx, ps) - bound - SynthOptions.MARGIN_MM;
        double roomY = SynthOptions.bodySemiAxisY(ny, ps) - bound - SynthOptions.MARGIN_MM;
        // Uniform in the ellipse of allowed centres (square root of a uniform for the radius).
        double rho = Math.sqrt(rng.nextDouble()), phi = 2 * Math.PI * rng.nextDouble();
        double zFirst = origin[2], zLast = origin[2] + (nz - 1) * dz;
        double zRoom = (zLast - zFirst) / 2 - bound - SynthOptions.MARGIN_MM;
        double[] centre = {
            origin[0] + (nx - 1) * ps / 2 + roomX * rho * Math.cos(phi),
            origin[1] + (ny - 1) * ps / 2 + roomY * rho * Math.sin(phi),
            (zFirst + zLast) / 2 + uniform(rng, -zRoom, zRoom)};
        Lesion lesion = new Lesion(shape, centre, radii, axes);
        double meanHu = uniform(rng, 10, 50);

        List<String> instances = new ArrayList<>(nz);
        for (int k = 0; k < nz; k++) instances.add(uid(index, "ct-instance-" + k));
        SyntheticSubject.SubjectUids uids = new SyntheticSubject.SubjectUids(uid(index, "study"), uid(index, "ct-series"),
                uid(index, "frame-of-reference"), uid(index, "rtstruct-series"), uid(index, "rtstruct-instance"), instances);
        return new SyntheticSubject(subjectId(index), subjectSeed, options, g, lesion, meanHu, uids);
    }

    /**
     * Writes subjects {@code 0 .. subjects-1} and {@code truth.csv} into {@code out}, which must be absent or
     * empty (so that a cohort folder never mixes runs). Subjects are written on {@code threads} threads; the
     * files do not depend on the thread count.
     *
     * @return the truth rows, in subject order
     */
    public List<SubjectTruth> write(Path out, int subjects, int threads) {
        if (subjects < 1) throw new IllegalArgumentException("need at least one subject: " + subjects);
        requireEmpty(out);
        List<SubjectTruth> truth = new ArrayList<>(subjects);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, subjects)));
        try {
            List<Future<SubjectTruth>> futures = new ArrayList<>();
            for (int i = 0; i < subjects; i++) {
                int index = i;
                futures.add(pool.submit(() -> writeSubject(subject(index), out)));
            }
            for (Future<SubjectTruth> f : futures) truth.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagingException(out, "interrupted while writing the synthetic cohort");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new ImagingException(out, "cannot write the synthetic cohort: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        writeTruth(out.resolve(TRUTH_CSV), truth);
        return truth;
    }

    /** The DICOM tree of the cohort in {@code out}: the folder to index or discover samples in. */
    public static Path dicomRoot(Path out) {
        return out.resolve(DICOM_DIR);
    }

    /** Writes one subject's CT and RTSTRUCT under {@code out/dicom/<id>/} and returns its truth row. */
    public static SubjectTruth writeSubject(SyntheticSubject s, Path out) {
        String relative = DICOM_DIR + "/" + s.id();
        Path dir = out.resolve(relative);
        Path ct = dir.resolve(CT_DIR);
        Path rt = dir.resolve(RTSTRUCT_FILE);
        SyntheticDicom.writeCt(s, s.image(), ct);
        List<SyntheticSubject.Contour> contours = s.contours();
        SyntheticDicom.writeRtStruct(s, contours, rt);
        double contourVolume = contours.stream().mapToDouble(SyntheticSubject.Contour::area).sum() * s.geometry().spacing()[2];
        Lesion l = s.lesion();
        return new SubjectTruth(s.id(), l.shape(), l.radii(), l.centre(), l.volume(), contourVolume, s.lesionMeanHu(),
                SyntheticSubject.ROI_NAME, s.uids().series(), relative + "/" + CT_DIR, relative + "/" + RTSTRUCT_FILE);
    }

    /** Writes {@code rows} as a truth CSV (header, one line per subject, {@code \n} line ends, UTF-8). */
    public static void writeTruth(Path csv, List<SubjectTruth> rows) {
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(SubjectTruth.HEADER + "\n");
            for (SubjectTruth t : rows) w.write(t.toCsv() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
    }

    /** Reads a truth CSV written by {@link #writeTruth}. */
    public static List<SubjectTruth> readTruth(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(SubjectTruth.HEADER)) {
                throw new ImagingException(csv, "not a synthetic cohort truth table (expected header " + SubjectTruth.HEADER + ")");
            }
            return lines.stream().skip(1).filter(l -> !l.isBlank()).map(SubjectTruth::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    private static void requireEmpty(Path out) {
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new ImagingException(out, "output folder is not empty");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + out, e);
            }
        } else if (Files.exists(out)) {
            throw new ImagingException(out, "output exists and is not a folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
    }

    /** A DICOM UID for object {@code what} of subject {@code index}, unique to this cohort's seed. */
    String uid(int index, String what) {
        UUID u = UUID.nameUUIDFromBytes(("cohortflow-synth/" + seed + "/" + index + "/" + what).getBytes(StandardCharsets.UTF_8));
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, b);
    }

    /** Mixes a seed and a stream number into a well-spread seed (SplitMix64's finaliser). */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    // Hundredths of a mm have a short, exact DS form, so the grid read back equals the grid drawn.
    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A uniformly distributed rotation (Shoemake's unit quaternion method), row-major. */
    private static double[] randomRotation(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble(), u3 = rng.nextDouble();
        double a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
        double x = a * Math.sin(2 * Math.PI * u2), y = a * Math.cos(2 * Math.PI * u2);
        double z = b * Math.sin(2 * Math.PI * u3), w = b * Math.cos(2 * Math.PI * u3);
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)};
    }
}
