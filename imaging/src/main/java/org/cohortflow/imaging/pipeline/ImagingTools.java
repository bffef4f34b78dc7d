package org.cohortflow.imaging.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.dsl.tool.InputPort;
import org.cohortflow.dsl.tool.OutputPort;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolProvider;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.types.TypeRef;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.nifti.Nifti;
import org.cohortflow.imaging.rtstruct.RtStruct;

/**
 * The imaging steps as pipeline tools: read DICOM series and NIfTI files into volumes, rasterise
 * RTSTRUCT contours and NIfTI label images into masks, and write volumes as NIfTI.
 */
public final class ImagingTools implements ToolProvider {

    public static final InputPort<ImagingTypes.DicomSeriesDir> SERIES =
            InputPort.of("series", ImagingTypes.DICOM_SERIES).describedAs("a DICOM image series");
    public static final OutputPort<Volume> VOLUME = OutputPort.of("volume", ImagingTypes.VOLUME)
            .describedAs("the image with its patient geometry");

    /** {@code imaging/DicomToVolume:1}. */
    public static final ToolDefinition DICOM_TO_VOLUME = ToolDefinition.java("imaging/DicomToVolume:1")
            .description("reads a DICOM image series (slices sorted along the normal, rescale applied)")
            .input(SERIES).output(VOLUME)
            .runs(ctx -> ctx.output(VOLUME, DicomSeriesReader.read(series(ctx.input(SERIES)))));

    public static final InputPort<ImagingTypes.RtStructFile> RTSTRUCT =
            InputPort.of("rtstruct", ImagingTypes.RTSTRUCT).describedAs("the RT structure set");
    public static final InputPort<String> ROI = InputPort.of("roi", BuiltinTypes.STRING)
            .describedAs("name of the region of interest");
    public static final OutputPort<Mask> MASK = OutputPort.of("mask", ImagingTypes.MASK)
            .describedAs("the ROI on the series' grid");

    /** {@code imaging/RtStructToMask:1}. */
    public static final ToolDefinition RTSTRUCT_TO_MASK = ToolDefinition.java("imaging/RtStructToMask:1")
            .description("rasterises a named ROI of an RTSTRUCT on the grid of the series it was drawn on")
            .input(RTSTRUCT).input(SERIES).input(ROI).output(MASK)
            .runs(ctx -> {
                RtStruct.Rasterised r = RtStruct.read(ctx.input(RTSTRUCT).localPath())
                        .rasterise(ctx.input(ROI), series(ctx.input(SERIES)));
                r.warnings().forEach(ctx::warn);
                ctx.output(MASK, r.mask());
            });

    public static final InputPort<Volume> GRID = InputPort.of("reference", ImagingTypes.VOLUME)
            .describedAs("the image whose grid the mask is drawn on (e.g. the series converted by another program)");

    /**
     * {@code imaging/RtStructToMaskOnGrid:1}: for images that reach the pipeline through other programs
     * (dcm2niix, plastimatch), which may store the same voxels in another order than the DICOM series.
     */
    public static final ToolDefinition RTSTRUCT_TO_MASK_ON_GRID = ToolDefinition.java("imaging/RtStructToMaskOnGrid:1")
            .description("rasterises a named ROI of an RTSTRUCT on the grid of a reference image (no frame-of-reference check)")
            .input(RTSTRUCT).input(GRID).input(ROI).output(MASK)
            .runs(ctx -> ctx.output(MASK, RtStruct.read(ctx.input(RTSTRUCT).localPath())
                    .toMask(ctx.input(ROI), ctx.input(GRID).geometry(), null)));

    public static final InputPort<ImagingTypes.ImageFile> NIFTI = InputPort.of("image",
            TypeRef.of("Nifti", ImagingTypes.ImageFile.class)).describedAs("a NIfTI image (.nii or .nii.gz)");

    /** {@code imaging/NiftiRead:1}. */
    public static final ToolDefinition NIFTI_READ = ToolDefinition.java("imaging/NiftiRead:1")
            .description("reads a NIfTI-1/2 image (qform/sform applied, converted to LPS)")
            .input(NIFTI).output(VOLUME)
            .runs(ctx -> ctx.output(VOLUME, Nifti.readVolume(ctx.input(NIFTI).localPath())));

    public static final InputPort<Long> LABEL = InputPort.of("label", BuiltinTypes.INT).optional()
            .describedAs("the label value to keep in a multi-label mask; without it every non-zero voxel");
    public static final InputPort<Volume> REFERENCE = InputPort.of("reference", ImagingTypes.VOLUME)
            .describedAs("the image the mask belongs to; their grids must agree");

    /** {@code imaging/NiftiToMask:1}. */
    public static final ToolDefinition NIFTI_TO_MASK = ToolDefinition.java("imaging/NiftiToMask:1")
            .description("reads a NIfTI label image as a mask (non-zero voxels, or one label) on the grid of a reference image")
            .input(NIFTI).input(REFERENCE).input(LABEL).output(MASK)
            .runs(ctx -> {
                Long label = ctx.input(LABEL);
                Path file = ctx.input(NIFTI).localPath();
                ctx.output(MASK, label == null ? Nifti.readMask(file, ctx.input(REFERENCE).geometry())
                        : Nifti.readMask(file, label, ctx.input(REFERENCE).geometry()));
            });

    public static final InputPort<Volume> VOLUME_IN = InputPort.of("volume", ImagingTypes.VOLUME)
            .describedAs("the image to write");
    public static final OutputPort<ImagingTypes.NiftiGzFile> NIFTI_OUT = OutputPort.of("image", ImagingTypes.NIFTI_GZ)
            .describedAs("the image as .nii.gz");

    /** {@code imaging/NiftiWrite:1}. */
    public static final ToolDefinition NIFTI_WRITE = ToolDefinition.java("imaging/NiftiWrite:1")
            .description("writes a volume as a gzipped NIfTI-1 image (RAS on disk, as the standard says)")
            .input(VOLUME_IN).output(NIFTI_OUT)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("image.nii.gz");
                Nifti.write(out, ctx.input(VOLUME_IN));
                ctx.output(NIFTI_OUT, new ImagingTypes.NiftiGzFile(out.toUri()));
            });

    public static final InputPort<Mask> MASK_IN = InputPort.of("mask", ImagingTypes.MASK).describedAs("the region to write");
    public static final OutputPort<ImagingTypes.NiftiGzFile> MASK_NIFTI_OUT = OutputPort.of("image", ImagingTypes.NIFTI_GZ)
            .describedAs("the mask as .nii.gz, uint8: 1 inside, 0 outside");

    /** {@code imaging/MaskNiftiWrite:1}: a mask as a viewer shows it, an overlay on its image's grid. */
    public static final ToolDefinition MASK_NIFTI_WRITE = ToolDefinition.java("imaging/MaskNiftiWrite:1")
            .description("writes a mask as a gzipped NIfTI-1 label image (uint8, 1 inside), on its image's grid")
            .input(MASK_IN).output(MASK_NIFTI_OUT)
            .runs(ctx -> {
                Path out = ctx.workDir().resolve("mask.nii.gz");
                Nifti.writeMask(out, ctx.input(MASK_IN));
                ctx.output(MASK_NIFTI_OUT, new ImagingTypes.NiftiGzFile(out.toUri()));
            });

    @Override
    public List<ToolDefinition> tools() {
        return List.of(DICOM_TO_VOLUME, RTSTRUCT_TO_MASK, RTSTRUCT_TO_MASK_ON_GRID, NIFTI_READ, NIFTI_TO_MASK, NIFTI_WRITE,
                MASK_NIFTI_WRITE);
    }

    /** The series a reference points at: the one named by UID, or the only one in the folder. */
    static DicomSeries series(ImagingTypes.DicomSeriesDir ref) {
        Path folder = ref.folder();
        if (ref.seriesUid().isEmpty()) {
            return DicomSeriesReader.single(folder);
        }
        String uid = ref.seriesUid().get();
        return DicomSeriesReader.scan(folder).stream().filter(s -> s.seriesInstanceUid().equals(uid)).findFirst()
                .orElseThrow(() -> new ImagingException(folder, "holds no image series with SeriesInstanceUID " + uid));
    }
}
