package org.cohortflow.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cohortflow.biomarkers.adapter.ImagingAdapter;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.settings.IbsiSettings;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every IBSI consensus value of the digital phantom (reference-values.csv, 482 rows), each as its
 * own test, against the whole chain: NIfTI reader, adapter, feature extractor with the phantom's
 * settings (no resampling, no discretisation, GLCM/NGTDM/NGLDM distance 1, NGLDM alpha 0).
 */
class DigitalPhantomReferenceTest {
    private static final Map<String, int[]> SUMMARY = new TreeMap<>();

    /** One row of the reference table. */
    record Reference(String family, String feature, String code, String aggregation, String aggregationCode,
                     String value, String tolerance) {

        String key() {
            return family + "|" + feature + "|" + code + "|" + aggregationCode;
        }

        /** Half-width of the accepted interval: the tolerance, or half a unit in the 3rd significant digit. */
        double allowed() {
            if (!tolerance.isEmpty()) return Double.parseDouble(tolerance);
            BigDecimal shown = new BigDecimal(value);
            double v = Math.abs(shown.doubleValue());
            // Trailing zeros are not printed ("2.6" is 2.60, "1490" is 1.49e3), so the unit is the
            // third significant digit unless the table shows more digits than that.
            int decimals = v > 0 ? 2 - (int) Math.floor(Math.log10(v)) : shown.stripTrailingZeros().scale();
            decimals = Math.max(decimals, shown.stripTrailingZeros().scale());
            return 0.5 * Math.pow(10, -decimals) * (1 + 1e-9);
        }
    }

    static List<Reference> references(Path csv) throws IOException {
        List<Reference> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            List<String> f = parseCsvLine(line);
            out.add(new Reference(f.get(0), f.get(2), f.get(3), f.get(6), f.get(7), f.get(8), f.get(9)));
        }
        return out;
    }

    /** The fields of one CSV line (RFC 4180 quoting). */
    static List<String> parseCsvLine(String line) {
        try {
            return org.cohortflow.dsl.csv.CsvFile.read(new java.io.StringReader(line)).get(0).cells();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Feature> computePhantomFeatures(Path phantom) {
        Volume image = Nifti.readVolume(phantom.resolve("nifti/image/phantom.nii.gz"));
        Mask mask = Nifti.readMask(phantom.resolve("nifti/mask/mask.nii.gz"), image.geometry());
        List<Feature> features = new FeatureExtractor(IbsiSettings.digitalPhantom())
                .extract(ImagingAdapter.toRoiImage(image, mask));
        Map<String, Feature> byKey = new HashMap<>();
        for (Feature f : features) {
            byKey.put(f.family().shortName() + "|" + f.name() + "|" + f.ibsiCode() + "|" + f.aggregation().code(), f);
        }
        return byKey;
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceValue() throws IOException {
        Path phantom = TestData.require("ibsi-digital-phantom");
        List<Reference> refs = references(phantom.resolve("reference-values.csv"));
        Map<String, Feature> computed = computePhantomFeatures(phantom);
        return refs.stream().map(r -> DynamicTest.dynamicTest(
                r.family() + " " + r.feature() + " [" + r.code() + ", " + r.aggregation() + "] = " + r.value(),
                () -> {
                    Feature f = computed.get(r.key());
                    double expected = Double.parseDouble(r.value());
                    boolean ok = f != null && Math.abs(f.value() - expected) <= r.allowed();
                    record(r.family(), ok);
                    assertNotNull(f, "feature not computed: " + r.key());
                    assertEquals(expected, f.value(), r.allowed(), r.key() + (f.reason() == null ? "" : " (" + f.reason() + ")"));
                }));
    }

    @Test
    void referenceTableHasEveryRow() throws IOException {
        Path phantom = TestData.require("ibsi-digital-phantom");
        assertEquals(482, references(phantom.resolve("reference-values.csv")).size());
    }

    private static synchronized void record(String family, boolean ok) {
        int[] c = SUMMARY.computeIfAbsent(family, k -> new int[2]);
        c[0] += ok ? 1 : 0;
        c[1]++;
    }

    @AfterAll
    static synchronized void printSummary() {
        int matched = 0, total = 0;
        StringBuilder per = new StringBuilder();
        for (var e : SUMMARY.entrySet()) {
            matched += e.getValue()[0];
            total += e.getValue()[1];
            per.append(String.format("  %-6s %3d of %3d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        if (total > 0) {
            System.out.printf("IBSI digital phantom: %d of %d match%n%s", matched, total, per);
        }
    }

    @Test
    void toleranceRuleUsesThreeSignificantDigits() {
        assertEquals(0.005, new Reference("", "", "", "", "", "2.6", "").allowed(), 1e-9);
        assertEquals(0.5, new Reference("", "", "", "", "", "567", "").allowed(), 1e-9);
        assertEquals(5, new Reference("", "", "", "", "", "1490", "").allowed(), 1e-6);
        assertEquals(0.00005, new Reference("", "", "", "", "", "0.045", "").allowed(), 1e-12);
        assertEquals(0.000005, new Reference("", "", "", "", "", "0.00963", "").allowed(), 1e-12);
        assertEquals(4, new Reference("", "", "", "", "", "556", "4").allowed(), 0);
    }
}
