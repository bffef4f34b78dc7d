package org.cohortflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cohortflow.dsl.io.AtomicFile;
import org.cohortflow.biomarkers.FeatureExtractor;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.CsvFeatureWriter;
import org.cohortflow.executors.tables.ParquetTables;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.rtstruct.RtStruct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cohortflow features}: IBSI features of one image and ROI, the way PyRadiomics users run a single case. */
@Command(name = "features", mixinStandardHelpOptions = true,
        header = "Computes every IBSI feature for one image and one ROI.",
        description = {"Computes all eleven IBSI-1 feature families for one image and one ROI and writes them as CSV with "
                               + "the columns",
                       "  " + CsvFeatureWriter.HEADER,
                       "IMG is a NIfTI file (.nii, .nii.gz) or a folder of one DICOM image series.",
                       "MASK is a NIfTI mask on the image grid (non-zero voxels are inside), or an RTSTRUCT file (or a folder "
                               + "holding exactly one) whose ROI --roi is rasterised on the image grid. A feature undefined for the "
                               + "ROI is NaN with the reason in the last column. --out FILE.parquet writes the same table as Parquet "
                               + "(undefined values are null there, with the reason)."},
        footer = {"",
                  "Settings (YAML, every section optional). Without --settings: no resampling, no re-segmentation, no "
                          + "discretisation (for images already holding grey levels).",
                  "  resampling: {spacing: [2, 2, 2], interpolation: linear,",
                  "               mask_threshold: 0.5, round: true}",
                  "  resegmentation: {range: [-1000, 400], outlier_sigma: 3}",
                  "  discretisation: {method: fixed_bin_size, bin_width: 25}",
                  "  texture: {glcm_distance: 1, ngldm_alpha: 0, ngldm_distance: 1,",
                  "            ngtdm_distance: 1}",
                  "  ivh: {method: fixed_bin_size, bin_width: 2.5}",
                  "",
                  "Examples:",
                  "  cohortflow synth --subjects 1 --out /tmp/one-subject",
                  "  cohortflow features --image /tmp/one-subject/dicom/synth-0001/CT \\",
                  "      --mask /tmp/one-subject/dicom/synth-0001/RTSTRUCT/rtstruct.dcm --roi GTV \\",
                  "      --settings examples/radiomics/settings/ct-2mm.yaml --out /tmp/one-subject/features.csv",
                  "  (a NIfTI image and mask: --image CT.nii.gz --mask GTV.nii.gz)",
                  "",
                  "Exit codes: 0 features written, 1 unreadable input, unknown ROI or invalid settings, 2 usage error."})
final class FeaturesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "IMG",
            description = "NIfTI image file or folder of one DICOM image series.")
    Path image;

    @Option(names = "--mask", required = true, paramLabel = "MASK",
            description = "NIfTI mask file, or RTSTRUCT file (or a folder holding one RTSTRUCT).")
    Path mask;

    @Option(names = "--roi", paramLabel = "NAME",
            description = "ROI name: which RTSTRUCT ROI to use (may be omitted when the RTSTRUCT holds one ROI);"
                    + " for a NIfTI mask only the label in the output (default: the mask file name).")
    String roi;

    @Option(names = "--sample", paramLabel = "ID",
            description = "Sample identifier in the output (default: the image file or folder name).")
    String sample;

    @Option(names = "--settings", paramLabel = "SETTINGS.yaml", description = "IBSI processing and feature settings.")
    Path settingsFile;

    @Option(names = "--out", required = true, paramLabel = "FEATURES.csv",
            description = "Where to write the feature table: .csv, or .parquet for Parquet.")
    Path out;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        boolean parquet = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
        for (Path p : List.of(image, mask)) {
            if (!Files.exists(p)) {
                err.println("cohortflow features: " + p + " does not exist");
                return 1;
            }
        }
        if (settingsFile != null && !Files.isRegularFile(settingsFile)) {
            err.println("cohortflow features: settings file " + settingsFile + " does not exist");
            return 1;
        }
        long start = System.nanoTime();
        try {
            IbsiSettings settings = settingsFile == null ? IbsiSettings.digitalPhantom() : readSettings(settingsFile);
            Loaded loaded = load();
            if (loaded.mask().count() == 0) {
                err.println("cohortflow features: ROI '" + loaded.roi() + "' in " + mask + " has no voxels on the image grid of " + image);
                return 1;
            }
            // One case: the feature families run side by side on the common pool.
            List<Feature> features = new FeatureExtractor(settings).extract(
                    ImagingAdapter.toRoiImage(loaded.volume(), loaded.mask()), ForkJoinPool.commonPool());
            String sampleId = sample != null ? sample : stem(image);
            FeatureTable table = new FeatureTable().add(sampleId, loaded.roi(), features);
            if (parquet) {
                AtomicFile.write(out, tmp -> ParquetTables.write(table, tmp));
            } else {
                CsvFeatureWriter.write(table, out);
            }
            long undefined = features.stream().filter(f -> !f.isDefined()).count();
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d features (%d undefined) for ROI '%s' (%d voxels) in %.2f s -> %s%n",
                    sampleId, features.size(), undefined, loaded.roi(), loaded.mask().count(),
                    (System.nanoTime() - start) / 1e9, out);
            return 0;
        } catch (java.io.IOException e) {
            err.println("cohortflow features: cannot write " + out + ": " + e.getMessage());
            return 1;
        } catch (ImagingException | SettingsException | UncheckedIOException e) {
            err.println("cohortflow features: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            // The adapter rejects a mask that is not on the image grid; name both files.
            err.println("cohortflow features: " + mask + " does not fit " + image + ": " + e.getMessage());
            return 1;
        }
    }

    private record Loaded(Volume volume, Mask mask, String roi) {}

    private static IbsiSettings readSettings(Path file) {
        try {
            return SettingsParser.read(file);
        } catch (SettingsException e) {
            // Parser messages name the key; the user also needs the file.
            throw e.getMessage().startsWith(file.toString()) ? e : new SettingsException(file + ": " + e.getMessage(), e);
        }
    }

    private Loaded load() {
        boolean dicomImage = Files.isDirectory(image);
        DicomSeries series = dicomImage ? DicomSeriesReader.single(image) : null;
        Volume volume = dicomImage ? DicomSeriesReader.read(series) : Nifti.readVolume(image);
        if (isNifti(mask)) {
            return new Loaded(volume, Nifti.readMask(mask, volume.geometry()), roi != null ? roi : stem(mask));
        }
        RtStruct rtstruct = RtStruct.read(rtstructFile(mask));
        String name = roi;
        if (name == null) {
            List<String> names = rtstruct.roiNames();
            if (names.size() != 1) {
                throw new ImagingException(rtstruct.file(), "holds " + names.size() + " ROIs; choose one with --roi: "
                        + String.join(", ", names));
            }
            name = names.get(0);
        }
        Mask m = series != null ? rtstruct.toMask(name, series) : rtstruct.toMask(name, volume.geometry(), null);
        return new Loaded(volume, m, name);
    }

    private static boolean isNifti(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".nii") || n.endsWith(".nii.gz"));
    }

    /** The RTSTRUCT itself, or the single RTSTRUCT among the files of a folder. */
    private static Path rtstructFile(Path p) {
        if (!Files.isDirectory(p)) return p;
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                try {
                    RtStruct.read(f);
                    found.add(f);
                } catch (ImagingException notRtstruct) {
                    // Image files and other objects may share the folder; only RTSTRUCTs count.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + p, e);
        }
        if (found.size() != 1) {
            throw new ImagingException(p, "expected one RTSTRUCT file in the folder, found " + found.size()
                    + (found.isEmpty() ? "" : ": " + found.stream().map(Path::toString).collect(Collectors.joining(", "))));
        }
        return found.get(0);
    }

    private static String stem(Path p) {
        String n = p.toAbsolutePath().normalize().getFileName().toString();
        return n.replaceFirst("(?i)\\.nii(\\.gz)?$", "");
    }
}
