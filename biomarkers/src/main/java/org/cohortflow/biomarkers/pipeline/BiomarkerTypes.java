package org.cohortflow.biomarkers.pipeline;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cohortflow.biomarkers.settings.SettingsException;
import org.cohortflow.biomarkers.settings.SettingsParser;
import org.cohortflow.biomarkers.table.CsvFeatureReader;
import org.cohortflow.biomarkers.table.CsvFeatureWriter;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.DataTypeProvider;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.TypeRef;
import org.cohortflow.dsl.types.ValueCodec;
import org.cohortflow.dsl.types.ValueType;

/**
 * Data types of the biomarkers tools: feature tables (in memory, stored as CSV in the
 * {@code sample,roi,family,feature,ibsi_code,aggregation,value,reason} layout) and IBSI settings files.
 */
public final class BiomarkerTypes implements DataTypeProvider {

    /** An IBSI settings file in YAML (see biomarkers/README.md). */
    public record SettingsFile(URI uri) implements FileRef {
        public Path localPath() {
            if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
                throw new IllegalArgumentException(uri + ": settings must be a local file");
            }
            return Path.of(uri);
        }
    }

    public static final TypeRef<FeatureTable> FEATURE_TABLE = TypeRef.of("FeatureTable", FeatureTable.class);
    public static final TypeRef<SettingsFile> SETTINGS = TypeRef.of("IbsiSettings", SettingsFile.class);

    private static final ValueCodec CSV = new ValueCodec() {
        @Override
        public String extension() {
            return ".csv";
        }

        @Override
        public void write(Object value, Path file) {
            CsvFeatureWriter.write((FeatureTable) value, file);
        }

        @Override
        public Object read(Path file) throws IOException {
            return CsvFeatureReader.read(file);
        }
    };

    @Override
    public List<DataType> dataTypes() {
        return List.of(
                ValueType.object("FeatureTable", "IBSI features of samples and ROIs (stored as CSV)", FeatureTable.class, CSV,
                        "Table"),
                new FileType("IbsiSettings", "IBSI image processing and feature settings (YAML)", Set.of("File"),
                        SettingsFile.class, List.of(".yaml", ".yml"), false, BiomarkerTypes::validateSettings,
                        SettingsFile::new));
    }

    private static void validateSettings(Path p) throws InvalidFileException {
        try {
            SettingsParser.read(p);
        } catch (SettingsException e) {
            throw new InvalidFileException(p, e.getMessage());
        }
    }
}
