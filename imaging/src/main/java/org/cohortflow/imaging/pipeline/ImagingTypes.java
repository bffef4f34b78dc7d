package org.cohortflow.imaging.pipeline;

import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cohortflow.dsl.types.DataType;
import org.cohortflow.dsl.types.DataTypeProvider;
import org.cohortflow.dsl.types.FileRef;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.dsl.types.InvalidFileException;
import org.cohortflow.dsl.types.TypeGroup;
import org.cohortflow.dsl.types.TypeRef;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.dicom.NotDicomException;
import org.cohortflow.imaging.nifti.Nifti;

/**
 * The imaging data types pipelines use: NIfTI files, DICOM series and RT structure sets as file types,
 * the group {@code Image} (NIfTI | NIfTI.gz | DICOM series), and in-memory {@code Volume} and
 * {@code Mask} objects that fused Java tools pass to each other without touching disk.
 */
public final class ImagingTypes implements DataTypeProvider {

    /** Any image file type; the value a tool reading "an image" accepts. */
    public interface ImageFile extends FileRef {
        /** The local path of a {@code file:} URI; other schemes must be staged by the executor first. */
        default Path localPath() {
            return ImagingTypes.localPath(uri());
        }
    }

    /** A NIfTI-1/2 file, {@code .nii}. */
    public record NiftiFile(URI uri) implements ImageFile {}

    /** A gzip-compressed NIfTI-1/2 file, {@code .nii.gz}. */
    public record NiftiGzFile(URI uri) implements ImageFile {}

    /**
     * A DICOM image series: a folder, optionally narrowed to one series by a {@code series=UID} query
     * ({@code file:///data/p1/?series=1.2.3}) when the folder holds several.
     */
    public record DicomSeriesDir(URI uri) implements ImageFile {
        /** The folder, without the query. */
        public Path folder() {
            return ImagingTypes.localPath(URI.create(uri.getScheme() + ":" + uri.getRawPath()));
        }

        /** The SeriesInstanceUID named in the query, if any. */
        public Optional<String> seriesUid() {
            return seriesUidIn(uri.getQuery());
        }

        /** The SeriesInstanceUID a URI query ({@code series=UID}, possibly among others) names, if any. */
        static Optional<String> seriesUidIn(String query) {
            if (query == null) {
                return Optional.empty();
            }
            for (String part : query.split("&")) {
                if (part.startsWith("series=")) {
                    return Optional.of(part.substring("series=".length()));
                }
            }
            return Optional.empty();
        }

        /** A reference to one series in a folder. */
        public static DicomSeriesDir of(Path folder, String seriesUid) {
            URI base = folder.toAbsolutePath().toUri();
            return new DicomSeriesDir(URI.create(base + "?series=" + seriesUid));
        }

        /** A reference to one series in a folder of any storage ({@code hdfs://...}; local folders as above). */
        public static DicomSeriesDir of(URI folder, String seriesUid) {
            if ("file".equals(folder.getScheme())) return of(Path.of(folder), seriesUid);
            return new DicomSeriesDir(URI.create(folder + "?series=" + seriesUid));
        }
    }

    /** A DICOM RT Structure Set file. */
    public record RtStructFile(URI uri) implements FileRef {
        public Path localPath() {
            return ImagingTypes.localPath(uri);
        }
    }

    /** A DICOM Segmentation file (binary segments, e.g. written by archive's SegmentationWriter). */
    public record SegFile(URI uri) implements FileRef {
        public Path localPath() {
            return ImagingTypes.localPath(uri);
        }
    }

    public static final TypeRef<ImageFile> IMAGE = TypeRef.of("Image", ImageFile.class);
    public static final TypeRef<NiftiFile> NIFTI = TypeRef.of("NiftiImage", NiftiFile.class);
    public static final TypeRef<NiftiGzFile> NIFTI_GZ = TypeRef.of("NiftiImageGz", NiftiGzFile.class);
    public static final TypeRef<DicomSeriesDir> DICOM_SERIES = TypeRef.of("DicomSeries", DicomSeriesDir.class);
    public static final TypeRef<RtStructFile> RTSTRUCT = TypeRef.of("RtStruct", RtStructFile.class);
    public static final TypeRef<SegFile> SEG = TypeRef.of("DicomSeg", SegFile.class);
    public static final TypeRef<Volume> VOLUME = TypeRef.of("Volume", Volume.class);
    public static final TypeRef<Mask> MASK = TypeRef.of("Mask", Mask.class);

    @Override
    public List<DataType> dataTypes() {
        return List.of(
                TypeGroup.of("Image", "an image file: NIfTI, NIfTI.gz or a DICOM series", ImageFile.class),
                TypeGroup.of("Nifti", "a NIfTI file, plain or gzipped", ImageFile.class, "Image"),
                new FileType("NiftiImage", "a NIfTI-1/2 image (.nii)", Set.of("Nifti", "File"), NiftiFile.class,
                        List.of(".nii"), false, ImagingTypes::validateNifti, NiftiFile::new),
                new FileType("NiftiImageGz", "a gzipped NIfTI-1/2 image (.nii.gz)", Set.of("Nifti", "File"),
                        NiftiGzFile.class, List.of(".nii.gz"), false, ImagingTypes::validateNifti, NiftiGzFile::new),
                new FileType("DicomSeries", "a folder holding a DICOM image series", Set.of("Image", "File"),
                        DicomSeriesDir.class, List.of(), true, ImagingTypes::validateDicomFolder, DicomSeriesDir::new)
                        .withMembers(ImagingTypes::inSeries),
                new FileType("RtStruct", "a DICOM RT Structure Set file", Set.of("File"), RtStructFile.class,
                        List.of(), false, ImagingTypes::validateRtStruct, RtStructFile::new),
                new FileType("DicomSeg", "a DICOM Segmentation file", Set.of("File"), SegFile.class,
                        List.of(), false, p -> validateModality(p, "SEG"), SegFile::new),
                ValueType.object("Volume", "an image in memory, with its geometry in patient coordinates (LPS)", Volume.class,
                        NiftiCodecs.VOLUME),
                ValueType.object("Mask", "a region of interest in memory, on an image's grid", Mask.class,
                        NiftiCodecs.MASK));
    }

    static Path localPath(URI uri) {
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            throw new IllegalArgumentException(uri + ": imaging tools read local files; stage " + uri.getScheme()
                    + ": data to a local folder first");
        }
        return uri.getScheme() == null ? Path.of(uri.getPath()) : Path.of(uri);
    }

    /**
     * Whether a file of a series folder belongs to the series its value names ({@code ?series=UID}), from the
     * file's header alone. Files that are not DICOM do not belong; a damaged DICOM file does, so that the
     * tool reading the series names it rather than finding a slice missing.
     */
    static boolean inSeries(String query, URI file, SeekableByteChannel content) {
        Optional<String> uid = DicomSeriesDir.seriesUidIn(query);
        if (uid.isEmpty()) return true;
        try {
            return uid.get().equals(DicomFiles.string(
                    DicomFiles.readAttributes(file, content, com.pixelmed.dicom.TagFromName.SeriesInstanceUID),
                    com.pixelmed.dicom.TagFromName.SeriesInstanceUID));
        } catch (NotDicomException e) {
            return false;
        } catch (ImagingException e) {
            return true;
        }
    }

    private static void validateNifti(Path p) throws InvalidFileException {
        try {
            Nifti.readHeader(p);
        } catch (ImagingException e) {
            throw new InvalidFileException(p, "is not a readable NIfTI file: " + e.reason());
        }
    }

    private static void validateDicomFolder(Path p) throws InvalidFileException {
        try {
            if (DicomSeriesReader.scan(p).isEmpty()) {
                throw new InvalidFileException(p, "holds no DICOM image series");
            }
        } catch (ImagingException e) {
            throw new InvalidFileException(p, "is not a readable DICOM folder: " + e.getMessage());
        }
    }

    private static void validateModality(Path p, String expected) throws InvalidFileException {
        try {
            String modality = DicomFiles.readHeader(p).get(com.pixelmed.dicom.TagFromName.Modality)
                    .getSingleStringValueOrEmptyString();
            if (!expected.equals(modality)) {
                throw new InvalidFileException(p, "is a DICOM " + modality + ", not a " + expected);
            }
        } catch (RuntimeException e) {
            throw new InvalidFileException(p, "is not a readable DICOM file: " + e.getMessage());
        }
    }

    private static void validateRtStruct(Path p) throws InvalidFileException {
        try {
            String modality = DicomFiles.readHeader(p).get(com.pixelmed.dicom.TagFromName.Modality)
                    .getSingleStringValueOrEmptyString();
            if (!"RTSTRUCT".equals(modality)) {
                throw new InvalidFileException(p, "is a DICOM " + modality + ", not an RTSTRUCT");
            }
        } catch (RuntimeException e) {
            throw new InvalidFileException(p, "is not a readable DICOM file: " + e.getMessage());
        }
    }
}
