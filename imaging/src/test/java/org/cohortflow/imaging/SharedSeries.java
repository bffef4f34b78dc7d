package org.cohortflow.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image series of the shared test data that exist both as DICOM (with an RTSTRUCT) and as NIfTI (image
 * and voxel mask): every series of the STS cohort and the IBSI CT phantom.
 */
public record SharedSeries(String name, Path dicomImages, Path rtstruct, Path niftiImage, Path niftiMask, String roi) {

    @Override
    public String toString() {
        return name;
    }

    /**
     * The series for a parameterised test. When the shared data is missing this is one placeholder whose
     * {@link #requireAvailable()} skips the test with the reason, so the skip is visible in the report (an
     * aborted argument source would just report zero tests).
     */
    public static List<SharedSeries> forTests() {
        java.util.Optional<Path> data = TestData.find();
        List<SharedSeries> all = data.map(SharedSeries::all).orElse(List.of());
        if (all.isEmpty()) {
            return List.of(new SharedSeries("shared data missing", null, null, null, null, null));
        }
        return all;
    }

    /** Skips the calling test when this is the placeholder of {@link #forTests()}. */
    public void requireAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dicomImages != null,
                "test data not found: no shared/data with DICOM/NIfTI series pairs above " + Path.of("").toAbsolutePath()
                        + " (set -Dcohortflow.testdata=DIR)");
    }

    /** All such series under {@code data}; empty when the folders are missing. */
    public static List<SharedSeries> all(Path data) {
        List<SharedSeries> out = new ArrayList<>();
        Path ibsi = data.resolve("ibsi-ct-phantom");
        if (Files.isDirectory(ibsi)) {
            out.add(new SharedSeries("IBSI_CT_phantom", ibsi.resolve("dicom/image"), ibsi.resolve("dicom/mask/DCM_RS_00060.dcm"),
                    ibsi.resolve("nifti/image/phantom.nii.gz"), ibsi.resolve("nifti/mask/mask.nii.gz"), "GTV-1"));
        }
        for (String patient : new String[] {"STS_001", "STS_002", "STS_003", "STS_004"}) {
            for (String modality : new String[] {"CT", "MR_T1", "PET"}) {
                Path dir = data.resolve("sts-cohort/dicom").resolve(patient).resolve(modality);
                if (!Files.isDirectory(dir)) continue;
                Path rs;
                try (var s = Files.list(dir.resolve("mask"))) {
                    rs = s.filter(Files::isRegularFile).findFirst().orElse(null);
                } catch (java.io.IOException e) {
                    rs = null;
                }
                Path nifti = data.resolve("sts-cohort/nifti").resolve(patient);
                out.add(new SharedSeries(patient + "_" + modality, dir.resolve("image"), rs, nifti.resolve(modality + "_image.nii.gz"),
                        nifti.resolve(modality + "_mask.nii.gz"), "GTV_Mass_" + modality));
            }
        }
        return out;
    }
}
