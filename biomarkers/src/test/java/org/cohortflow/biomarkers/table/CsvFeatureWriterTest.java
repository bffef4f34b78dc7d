package org.cohortflow.biomarkers.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFeatureWriterTest {

    @Test
    void writesLongFormatWithQuotingAndReasons(@TempDir Path dir) throws IOException {
        FeatureTable table = new FeatureTable().add("PAT1", "GTV-1", List.of(
                new Feature(FeatureFamily.GLCM, "Joint maximum", "GYBY", Aggregation.FULLY_MERGED_2_5D, 0.492, null),
                new Feature(FeatureFamily.MORPHOLOGY, "Moran's I index", "N365", Aggregation.FEATURE_3D, Double.NaN,
                        "fewer than two voxels, \"no pairs\"")));
        Path out = dir.resolve("sub/features.csv");
        CsvFeatureWriter.write(table, out);
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of(
                "sample,roi,family,feature,ibsi_code,aggregation,value,reason",
                "PAT1,GTV-1,cm,Joint maximum,GYBY,\"2.5D, merged\",0.492,",
                "PAT1,GTV-1,morph,Moran's I index,N365,3D,NaN,\"fewer than two voxels, \"\"no pairs\"\"\""), lines);
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertEquals(true, Files.getPosixFilePermissions(out).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                "the table is readable by others, like any file the user writes");
    }
}
