package org.cohortflow.biomarkers.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohortflow.biomarkers.processing.Discretisation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {

    @Test
    void readsEverySectionInIbsiVocabulary() {
        IbsiSettings s = SettingsParser.parse("""
                resampling: {spacing: [2, 2, 2.5], interpolation: cubic, mask_threshold: 0.5, round: true}
                resegmentation: {range: [-1000, 400], outlier_sigma: 3}
                discretisation: {method: fixed_bin_size, bin_width: 25, lower_bound: -1000}
                texture: {glcm_distance: 2, ngldm_alpha: 1, ngldm_distance: 1, ngtdm_distance: 3}
                ivh: {method: fixed_bin_number, bins: 1000}
                """);
        assertArrayEquals(new double[] {2, 2, 2.5}, s.resampling().spacing());
        assertEquals(Resampling.Interpolation.CUBIC, s.resampling().interpolation());
        assertTrue(s.resampling().round());
        assertEquals(-1000, s.resegmentation().lower());
        assertEquals(400, s.resegmentation().upper());
        assertEquals(3, s.resegmentation().outlierSigma());
        assertEquals(Discretisation.fixedBinSize(25, -1000), s.discretisation());
        assertEquals(Discretisation.fixedBinNumber(1000), s.ivhDiscretisation());
        assertEquals(new TextureSettings(2, 1, 1, 3), s.texture());
    }

    @Test
    void missingSectionsMeanIbsiDefaults() {
        IbsiSettings s = SettingsParser.parse("discretisation: {method: fixed_bin_number, bins: 32}\n");
        assertNull(s.resampling());
        assertEquals(Resegmentation.none(), s.resegmentation());
        assertEquals(TextureSettings.defaults(), s.texture());
        assertEquals(s.discretisation(), s.ivhDiscretisation(), "ivh falls back to the main discretisation");
    }

    @Test
    void openRangeBounds() {
        IbsiSettings s = SettingsParser.parse("resegmentation: {range: [-500, null]}\n");
        assertEquals(-500, s.resegmentation().lower());
        assertEquals(Double.POSITIVE_INFINITY, s.resegmentation().upper());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "resampling: {spacing: [1, 1, 1], interpolaton: linear}          | resampling.interpolaton",
        "resampling: {spacing: [1, -1, 1]}                               | resampling.spacing",
        "resampling: {spacing: [1, 1]}                                   | resampling.spacing",
        "resampling: {spacing: 1, interpolation: sinc}                   | resampling.interpolation",
        "resampling: {spacing: 1, mask_threshold: 1.5}                   | resampling.mask_threshold",
        "resampling: {spacing: 1, round: maybe}                          | resampling.round",
        "resegmentation: {range: [400, -1000]}                           | resegmentation.range",
        "resegmentation: {outlier_sigma: 0}                              | resegmentation.outlier_sigma",
        "discretisation: {method: fixed_bin_number, bins: 0}             | discretisation.bins",
        "discretisation: {method: fixed_bin_number}                      | discretisation.bins",
        "discretisation: {method: fixed_bin_size, bin_width: -2}         | discretisation.bin_width",
        "discretisation: {method: equal_probability, bins: 8}            | discretisation.method",
        "ivh: {method: fixed_bin_size, bin_width: 0}                     | ivh.bin_width",
        "texture: {glcm_distance: 0}                                     | texture.glcm_distance",
        "texture: {ngldm_alpha: -1}                                      | texture.ngldm_alpha",
        "texture: {glcm_distance: 1.5}                                   | texture.glcm_distance",
        "filters: {wavelet: true}                                        | filters",
    })
    void errorsNameTheKey(String yaml, String key) {
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.parse(yaml));
        assertTrue(e.getMessage().startsWith(key), "message should start with " + key + ": " + e.getMessage());
    }

    @Test
    void malformedYamlIsASettingsError() {
        assertThrows(SettingsException.class, () -> SettingsParser.parse("resampling: [1, 2\n"));
    }

    @Test
    void aliasesAndMergeKeysAreResolvedNotReadAsText() {
        IbsiSettings s = SettingsParser.parse("""
                resampling: {spacing: &mm 2}
                resegmentation: {range: [-1000, 400]}
                discretisation: &disc {method: fixed_bin_size, bin_width: *mm, lower_bound: -1000}
                ivh:
                  <<: *disc
                  bin_width: 2.5
                """);
        assertArrayEquals(new double[] {2, 2, 2}, s.resampling().spacing());
        assertEquals(Discretisation.fixedBinSize(2, -1000), s.discretisation(), "*mm is 2, not the text 'mm'");
        assertEquals(Discretisation.fixedBinSize(2.5, -1000), s.ivhDiscretisation(), "merged, bin_width written out wins");
    }

    @Test
    void aSettingsFileThatIsNotUtf8IsRefusedNamingItsLineAndEncoding(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("settings.yaml");
        Files.write(file, "# r\u00e9glages\ndiscretisation: {method: fixed_bin_number, bins: 32}\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:4: the file is not UTF-8: byte 0xE9 "), e.getMessage());
        assertTrue(e.getMessage().contains("Windows-1252"), e.getMessage());
    }

    @Test
    void aSettingsFileOverTheSizeLimitIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, "# " + "x".repeat(60_000) + "\n" + ("#\n").repeat(600_000));
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:1: the file is " + Files.size(file) + " bytes;"), e.getMessage());
    }

    @Test
    void yamlErrorsInASettingsFileNameItsLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "texture:\n  glcm_distance: *nowhere\n");
        SettingsException e = assertThrows(SettingsException.class, () -> SettingsParser.read(file));
        assertEquals(file + ":2:18: invalid YAML: found undefined alias nowhere", e.getMessage());
    }
}
