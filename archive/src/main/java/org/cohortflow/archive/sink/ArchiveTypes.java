package org.cohortflow.archive.sink;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.DataTypeProvider;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.TypeRef;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.dicom.DicomFiles;

/** The data types of archive tools: {@code DicomObject}, one DICOM Part 10 file (a SEG, an SR, ...). */
public final class ArchiveTypes implements DataTypeProvider {

    /** One DICOM Part 10 file. */
    public record DicomObject(URI uri) implements FileRef {
        public Path localPath() {
            return Path.of(uri);
        }
    }

    public static final TypeRef<DicomObject> DICOM_OBJECT = TypeRef.of("DicomObject", DicomObject.class);

    @Override
    public List<DataType> dataTypes() {
        return List.of(new FileType("DicomObject", "one DICOM Part 10 file (.dcm), e.g. a segmentation or a structured report",
                Set.of("File"), DicomObject.class, List.of(".dcm"), false, ArchiveTypes::validate, DicomObject::new));
    }

    private static void validate(Path p) throws InvalidFileException {
        try {
            DicomFiles.readAttributes(p, com.pixelmed.dicom.TagFromName.SOPInstanceUID);
        } catch (ImagingException e) {
            throw new InvalidFileException(p, "is not a readable DICOM file: " + e.getMessage());
        }
    }
}
