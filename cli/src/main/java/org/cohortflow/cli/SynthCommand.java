package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.synth.LesionShape;
import org.cohortflow.imaging.synth.SubjectTruth;
import org.cohortflow.imaging.synth.SynthOptions;
import org.cohortflow.imaging.synth.SyntheticCohort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow synth}: a synthetic DICOM cohort with lesions of known shape, for runs without patient data. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        header = "Writes a synthetic DICOM cohort with lesions of known shape.",
        description = {"Writes a synthetic cohort as real DICOM, so pipelines run without patient data. Per subject: a CT "
                               + "series (96x96x48 voxels of 0.9x0.9x2.5 mm, 16-bit, HU through rescale slope/intercept) and an RT "
                               + "Structure Set whose ROI 'GTV' outlines one lesion of known shape (a sphere or a randomly oriented "
                               + "ellipsoid, semi-axes 12-20 mm) with a closed planar contour on every slice through it. The image "
                               + "has air, a body of soft tissue (~40 HU) and the lesion (mean 10-50 HU, a smooth pattern and noise). "
                               + "The same seed gives identical files; subject i does not depend on --subjects.",
                       "",
                       "Layout of DIR:",
                       "  DIR/truth.csv                                what was drawn per subject",
                       "  DIR/dicom/synth-0001/CT/CT_0001.dcm ...      the CT series, a file per slice",
                       "  DIR/dicom/synth-0001/RTSTRUCT/rtstruct.dcm   the structure set (ROI 'GTV')",
                       "DIR/dicom holds only DICOM files: it is the tree to index or run pipelines on.",
                       "",
                       "truth.csv has a header line and one row per subject with the columns",
                       "  subject, shape (sphere or ellipsoid),",
                       "  radius_1_mm, radius_2_mm, radius_3_mm (the lesion's semi-axes),",
                       "  centre_x_mm, centre_y_mm, centre_z_mm (DICOM patient coordinates, LPS),",
                       "  analytic_volume_mm3, contour_volume_mm3, lesion_mean_hu,",
                       "  roi, series_uid, ct_dir, rtstruct (the last two relative to DIR).",
                       "analytic_volume_mm3 is 4/3*pi*r1*r2*r3, the reference that a measured lesion volume is checked "
                               + "against; contour_volume_mm3 is what the contours themselves describe (polygon areas times the slice "
                               + "spacing)."},
        footer = {"", "Example:", "  cohortflow synth --subjects 10 --out /tmp/synth-cohort --seed 7",
                "  cohortflow index /tmp/synth-cohort/dicom --out /tmp/synth-cohort-index.csv",
                "", "Exit codes: 0 written, 1 DIR is not empty or cannot be written, 2 usage error."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--subjects", required = true, paramLabel = "N", description = "Number of subjects (at least 1).")
    int subjects;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Cohort folder to create; must be absent or empty.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--shapes", paramLabel = "LIST", split = ",",
            description = "Lesion shapes to draw from, comma-separated: sphere, ellipsoid (default: both).")
    List<String> shapes = List.of("sphere", "ellipsoid");

    @Option(names = "--no-texture", description = "Constant intensities per tissue instead of noise and pattern.")
    boolean noTexture;

    @Option(names = "--threads", paramLabel = "N", description = "Subjects written in parallel (default: ${DEFAULT-VALUE}).")
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    @Override
    public Integer call() {
        if (subjects < 1) throw new ParameterException(spec.commandLine(), "--subjects must be at least 1, not " + subjects);
        if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, not " + threads);
        List<LesionShape> lesionShapes;
        try {
            lesionShapes = shapes.stream().map(LesionShape::of).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--shapes: " + e.getMessage());
        }
        SynthOptions options = SynthOptions.defaults().withShapes(lesionShapes).withTexture(!noTexture);
        long start = System.nanoTime();
        List<SubjectTruth> truth;
        try {
            truth = new SyntheticCohort(options, seed).write(out, subjects, threads);
        } catch (ImagingException e) {
            spec.commandLine().getErr().println("cohortflow synth: " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d subjects (%d CT images, %d RTSTRUCTs) to %s in %.1f s (%.0f ms per subject)%n",
                truth.size(), truth.size() * options.slices(), truth.size(), out, seconds, 1000 * seconds / truth.size());
        spec.commandLine().getOut().println("DICOM tree: " + SyntheticCohort.dicomRoot(out));
        spec.commandLine().getOut().println("truth: " + out.resolve(SyntheticCohort.TRUTH_CSV));
        return 0;
    }
}
