package org.cohortflow.imaging.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.ExpansionSizes;
import org.cohortflow.dsl.plan.JobGraph;
import org.cohortflow.dsl.plan.Planner;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.ToolDefinition;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imaging types and tools as a pipeline sees them, on the shared STS cohort. */
class ImagingPipelineToolsTest {
    private static final ToolRegistry TOOLS = ToolRegistry.load(TypeRegistry.load(), List.of());

    private static Map<String, List<Object>> run(ToolDefinition tool, Map<String, List<Object>> inputs, Path work)
            throws Exception {
        return new InMemoryToolContext(tool, inputs, work, "test").run();
    }

    @Test
    void imagingTypesJoinTheImageGroupThroughServiceLoader() {
        TypeRegistry types = TOOLS.types();
        for (String t : List.of("NiftiImage", "NiftiImageGz", "DicomSeries")) {
            assertTrue(types.isAssignable(types.find(t).orElseThrow(), types.find("Image").orElseThrow()), t);
        }
        assertTrue(types.isAssignable(types.find("NiftiImageGz").orElseThrow(), types.find("Nifti").orElseThrow()));
        assertTrue(!types.isAssignable(types.find("DicomSeries").orElseThrow(), types.find("Nifti").orElseThrow()));
        assertTrue(TOOLS.find(ImagingTools.DICOM_TO_VOLUME.id()).isPresent());
    }

    @Test
    void aDicomTreeBecomesOneSamplePerSeriesWithItsRtstruct() {
        Path cohort = TestData.require("sts-cohort/dicom");
        List<DicomCohortSource.Sample> samples = DicomCohortSource.discover(cohort, SeriesSample.modality("CT"), 2);
        assertEquals(List.of("STS_001", "STS_002", "STS_003", "STS_004"),
                samples.stream().map(DicomCohortSource.Sample::id).sorted().toList());
        samples.forEach(s -> assertTrue(s.rtstruct().isPresent(), "no RTSTRUCT found for " + s.id()));

        List<DicomCohortSource.Sample> all = DicomCohortSource.discover(cohort, s -> true, 2);
        assertEquals(12, all.size());
        assertTrue(all.stream().anyMatch(s -> s.id().equals("STS_002_PT") || s.id().equals("STS_002_PET")),
                all.stream().map(DicomCohortSource.Sample::id).toList().toString());
    }

    @Test
    void dicomAndRtstructToolsGiveTheSameVolumeAndMaskAsTheNiftiTools(@TempDir Path work) throws Exception {
        Path data = TestData.require("sts-cohort");
        DicomCohortSource.Sample sample = DicomCohortSource.discover(data.resolve("dicom/STS_002"),
                SeriesSample.modality("CT"), 2).get(0);
        Volume fromDicom = (Volume) run(ImagingTools.DICOM_TO_VOLUME, Map.of("series", List.of(sample.seriesRef())), work)
                .get("volume").get(0);
        String roi = org.cohortflow.imaging.rtstruct.RtStruct.read(Path.of(sample.rtstruct().orElseThrow())).roiNames().stream()
                .filter(n -> n.startsWith("GTV")).findFirst().orElseThrow();
        Mask fromRtstruct = (Mask) run(ImagingTools.RTSTRUCT_TO_MASK, Map.of(
                "series", List.of(sample.seriesRef()),
                "rtstruct", List.of(new ImagingTypes.RtStructFile(sample.rtstruct().orElseThrow())),
                "roi", List.of(roi)), work).get("mask").get(0);

        Path niftiImage = data.resolve("nifti/STS_002/CT_image.nii.gz");
        Volume fromNifti = (Volume) run(ImagingTools.NIFTI_READ,
                Map.of("image", List.of(new ImagingTypes.NiftiGzFile(niftiImage.toUri()))), work).get("volume").get(0);
        Mask fromNiftiMask = (Mask) run(ImagingTools.NIFTI_TO_MASK, Map.of(
                "image", List.of(new ImagingTypes.NiftiGzFile(data.resolve("nifti/STS_002/CT_mask.nii.gz").toUri())),
                "reference", List.of(fromNifti)), work).get("mask").get(0);

        assertTrue(fromDicom.geometry().sameGrid(fromNifti.geometry(), 1e-3));
        assertEquals(fromNiftiMask.count(), fromRtstruct.count());
        assertEquals(1.0, fromRtstruct.dice(fromNiftiMask), 1e-9);
        float[] a = fromDicom.toFloatArray();
        float[] b = fromNifti.toFloatArray();
        for (int i = 0; i < a.length; i += 997) {
            assertEquals(b[i], a[i], 1e-3, "voxel " + i);
        }
    }

    @Test
    void maskNiftiWriteGivesTheRtstructsMaskBackThroughNiftiToMask(@TempDir Path work) throws Exception {
        Path data = TestData.require("sts-cohort");
        Volume ct = Nifti.readVolume(data.resolve("nifti/STS_002/CT_image.nii.gz"));
        Mask m = Nifti.readMask(data.resolve("nifti/STS_002/CT_mask.nii.gz"), ct.geometry());
        Object written = run(ImagingTools.MASK_NIFTI_WRITE, Map.of("mask", List.of(m)), work).get("image").get(0);
        ImagingTypes.NiftiGzFile file = assertInstanceOf(ImagingTypes.NiftiGzFile.class, written);
        byte[] header = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(Path.of(file.uri()))).readNBytes(348);
        assertEquals(348, java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0), "a NIfTI-1 header");
        Mask back = (Mask) run(ImagingTools.NIFTI_TO_MASK, Map.of("image", List.of(file), "reference", List.of(ct)), work)
                .get("mask").get(0);
        assertTrue(m.count() > 0);
        assertEquals(m.toBitSet(), back.toBitSet());
    }

    @Test
    void niftiWriteThenNiftiReadKeepsVoxelsAndGeometry(@TempDir Path work) throws Exception {
        Volume v = Nifti.readVolume(TestData.require("ibsi-digital-phantom").resolve("nifti/image/phantom.nii.gz"));
        Object written = run(ImagingTools.NIFTI_WRITE, Map.of("volume", List.of(v)), work).get("image").get(0);
        ImagingTypes.NiftiGzFile file = assertInstanceOf(ImagingTypes.NiftiGzFile.class, written);
        Volume back = (Volume) run(ImagingTools.NIFTI_READ, Map.of("image", List.of(file)), work).get("volume").get(0);
        assertTrue(back.geometry().sameGrid(v.geometry(), 1e-6));
        assertEquals(java.util.Arrays.toString(v.toFloatArray()), java.util.Arrays.toString(back.toFloatArray()));
    }

    @Test
    void aDicomRadiomicsNetworkValidatesAndPlansOneJobPerSeries() {
        Path cohort = TestData.require("sts-cohort/dicom");
        NetworkYaml.Loaded net = NetworkYaml.read("""
                network: dicom-masks
                sources:
                  ct: {type: DicomSeries}
                  contours: {type: RtStruct}
                constants:
                  roi: {type: String, value: GTV_Mass_CT}
                nodes:
                  volume:
                    tool: imaging/DicomToVolume:1
                    inputs: {series: ct}
                  mask:
                    tool: imaging/RtStructToMask:1
                    inputs: {rtstruct: contours, series: ct, roi: roi}
                  nifti:
                    tool: imaging/NiftiWrite:1
                    inputs: {volume: volume.volume}
                sinks:
                  images: {from: nifti.image, url: "file:///tmp/out/{sample_id}{ext}"}
                """, "dicom-masks.yaml");
        SourceData data = DicomCohortSource.bind(SourceData.builder(),
                DicomCohortSource.discover(cohort, SeriesSample.modality("CT"), 2), "ct", Optional.of("contours")).build();
        JobGraph g = new Planner(TOOLS).plan(net.network(), net.locator(), data, ExpansionSizes.UNKNOWN);
        assertEquals(4, g.stage("mask").orElseThrow().jobs().size());
        assertEquals(12, g.runnableJobs());
    }

    @Test
    void volumesAndMasksAreStoredAsNiftiAndReadBackLosslessly(@TempDir Path work) throws Exception {
        Path data = TestData.require("sts-cohort");
        Volume v = Nifti.readVolume(data.resolve("nifti/STS_003/CT_image.nii.gz"));
        Mask m = Nifti.readMask(data.resolve("nifti/STS_003/CT_mask.nii.gz"), v.geometry());
        var types = TOOLS.types();
        var volumeCodec = ((org.cohortflow.dsl.types.ValueType) types.find("Volume").orElseThrow()).codec().orElseThrow();
        var maskCodec = ((org.cohortflow.dsl.types.ValueType) types.find("Mask").orElseThrow()).codec().orElseThrow();
        Path vf = work.resolve("v" + volumeCodec.extension());
        Path mf = work.resolve("m" + maskCodec.extension());
        volumeCodec.write(v, vf);
        maskCodec.write(m, mf);
        Volume v2 = (Volume) volumeCodec.read(vf);
        Mask m2 = (Mask) maskCodec.read(mf);
        assertTrue(v2.geometry().sameGrid(v.geometry(), 0), v2.geometry() + " vs " + v.geometry());
        assertTrue(java.util.Arrays.equals(v.toFloatArray(), v2.toFloatArray()));
        assertEquals(m.toBitSet(), m2.toBitSet());
        assertTrue(m2.geometry().sameGrid(m.geometry(), 0));
    }
}
