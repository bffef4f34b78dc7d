package org.cohortflow.archive.sink;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.source.ArchiveCredentials;
import org.cohortflow.archive.source.DicomWebRef;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.types.Tabular;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.dicom.DicomFiles;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.pipeline.ImagingTypes;

/**
 * Pipeline tools that send results back to an archive: {@code archive/MaskToSeg:1} (a mask as a DICOM SEG),
 * {@code archive/TableToSr:1} (a table's values as a Comprehensive SR) and {@code archive/StowRs:1} (store one
 * DICOM object with STOW-RS; idempotent, as the objects' UIDs derive from their content).
 */
public final class ArchiveTools implements ToolProvider {
    public static final InputPort<ImagingTypes.DicomSeriesDir> SERIES = InputPort.of("series", ImagingTypes.DICOM_SERIES)
            .describedAs("the source series the result is about");
    public static final InputPort<Mask> MASK = InputPort.of("mask", ImagingTypes.MASK).describedAs("the mask, on the series' grid");
    public static final InputPort<String> LABEL = InputPort.of("roi", BuiltinTypes.STRING).describedAs("the segment label");
    public static final OutputPort<ArchiveTypes.DicomObject> SEG = OutputPort.of("seg", ArchiveTypes.DICOM_OBJECT)
            .describedAs("the DICOM Segmentation");

    /** {@code archive/MaskToSeg:1}. */
    public static final ToolDefinition MASK_TO_SEG = ToolDefinition.java("archive/MaskToSeg:1")
            .description("writes a mask as a binary DICOM Segmentation referencing its source series")
            .input(SERIES).input(MASK).input(LABEL).output(SEG)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("seg.dcm");
                SegmentationWriter.write(series(ctx.input(SERIES)), ctx.input(MASK), ctx.input(LABEL), out);
                ctx.output(SEG, new ArchiveTypes.DicomObject(out.toUri()));
            });

    public static final InputPort<Tabular> TABLE = InputPort.of("table", BuiltinTypes.TABLE)
            .describedAs("the values to report (e.g. a feature table)");
    public static final InputPort<ArchiveTypes.DicomObject> SEG_IN = InputPort.of("seg", ArchiveTypes.DICOM_OBJECT)
            .describedAs("the segmentation the values were measured in").optional();
    public static final OutputPort<ArchiveTypes.DicomObject> SR = OutputPort.of("sr", ArchiveTypes.DICOM_OBJECT)
            .describedAs("the DICOM Comprehensive SR");

    /** {@code archive/TableToSr:1}. */
    public static final ToolDefinition TABLE_TO_SR = ToolDefinition.java("archive/TableToSr:1")
            .description("writes a table's numeric values as a DICOM Comprehensive SR about a series (and its segmentation)")
            .input(SERIES).input(TABLE).input(SEG_IN).output(SR)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("sr.dcm");
                Optional<WrittenObject> seg = Optional.ofNullable(ctx.input(SEG_IN)).map(ArchiveTools::identity);
                MeasurementReportWriter.write(series(ctx.input(SERIES)), ctx.input(TABLE), seg, out);
                ctx.output(SR, new ArchiveTypes.DicomObject(out.toUri()));
            });

    public static final InputPort<ArchiveTypes.DicomObject> OBJECT = InputPort.of("object", ArchiveTypes.DICOM_OBJECT)
            .describedAs("the DICOM object to store");
    public static final InputPort<String> ARCHIVE = InputPort.of("archive", BuiltinTypes.STRING)
            .describedAs("the archive: dicomweb://HOST:PORT/ROOT (or dicomwebs://, http(s)://)");
    public static final InputPort<BuiltinTypes.TextFile> CREDENTIALS = InputPort.of("credentials", BuiltinTypes.TEXT_FILE)
            .describedAs("a properties file with user= and password=, or token=; else COHORTFLOW_ARCHIVE_* variables").optional();
    public static final OutputPort<String> STORED = OutputPort.of("stored", BuiltinTypes.STRING)
            .describedAs("the stored instance as a dicomweb:// URI");

    /** {@code archive/StowRs:1}. */
    public static final ToolDefinition STOW_RS = ToolDefinition.java("archive/StowRs:1")
            .description("stores a DICOM object in an archive with STOW-RS (storing the same object again is harmless)")
            .input(OBJECT).input(ARCHIVE).input(CREDENTIALS).output(STORED)
            .runs(ctx -> {
                Path file = Path.of(ctx.input(OBJECT).uri());
                DicomWebRef root = DicomWebRef.parse(URI.create(ctx.input(ARCHIVE)));
                Auth auth = credentials(Optional.ofNullable(ctx.input(CREDENTIALS)).map(f -> Path.of(f.uri())));
                new DicomWebClient(DicomWebSettings.of(root.httpRoot(), auth)).store(List.of(file));
                WrittenObject id = identity(ctx.input(OBJECT));
                ctx.output(STORED, DicomWebRef.instance(root.httpRoot(), id.studyUid(), id.seriesUid(), id.sopUid()).toUri().toString());
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(MASK_TO_SEG, TABLE_TO_SR, STOW_RS);
    }

    /** The series a reference points at: the one named by UID, or the only one in the folder. */
    static DicomSeries series(ImagingTypes.DicomSeriesDir ref) {
        Path folder = ref.folder();
        if (ref.seriesUid().isEmpty()) return DicomSeriesReader.single(folder);
        String uid = ref.seriesUid().get();
        return DicomSeriesReader.scan(folder).stream().filter(s -> s.seriesInstanceUid().equals(uid)).findFirst()
                .orElseThrow(() -> new ImagingException(folder, "holds no image series with SeriesInstanceUID " + uid));
    }

    static WrittenObject identity(ArchiveTypes.DicomObject o) {
        Path p = Path.of(o.uri());
        AttributeList h = DicomFiles.readAttributes(p, TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID);
        return new WrittenObject(p, DicomFiles.string(h, TagFromName.StudyInstanceUID), DicomFiles.string(h, TagFromName.SeriesInstanceUID),
                DicomFiles.string(h, TagFromName.SOPInstanceUID));
    }

    /** Credentials from a properties file ({@code user}, {@code password}, {@code token}), else from the environment. */
    static Auth credentials(Optional<Path> file) {
        Map<String, String> settings = new HashMap<>();
        file.ifPresent(f -> {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the archive credentials " + f, e);
            }
            if (p.getProperty("token") != null) settings.put(ArchiveCredentials.TOKEN, p.getProperty("token"));
            if (p.getProperty("user") != null) settings.put(ArchiveCredentials.USER, p.getProperty("user"));
            if (p.getProperty("password") != null) settings.put(ArchiveCredentials.PASSWORD, p.getProperty("password"));
        });
        return ArchiveCredentials.resolve(settings);
    }
}
