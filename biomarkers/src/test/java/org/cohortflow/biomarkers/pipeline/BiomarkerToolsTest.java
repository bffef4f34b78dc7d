package org.cohortflow.biomarkers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cohortflow.biomarkers.TestData;
import org.cohortflow.biomarkers.feature.Aggregation;
import org.cohortflow.biomarkers.feature.Feature;
import org.cohortflow.biomarkers.feature.FeatureFamily;
import org.cohortflow.biomarkers.table.FeatureRow;
import org.cohortflow.biomarkers.table.FeatureTable;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.plan.ExpansionSizes;
import org.cohortflow.dsl.plan.JobGraph;
import org.cohortflow.dsl.plan.Planner;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.tool.InMemoryToolContext;
import org.cohortflow.dsl.tool.ToolRegistry;
import org.cohortflow.dsl.types.BuiltinTypes;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.dsl.types.ValueType;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.nifti.Nifti;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IBSI tool and feature tables as pipeline values. */
class BiomarkerToolsTest {
    private static final ToolRegistry TOOLS = ToolRegistry.load(TypeRegistry.load(), List.of());

    private static FeatureTable phantomFeatures(Path work, String sample) throws Exception {
        Path phantom = TestData.require("ibsi-digital-phantom");
        Volume image = Nifti.readVolume(phantom.resolve("nifti/image/phantom.nii.gz"));
        Mask mask = Nifti.readMask(phantom.resolve("nifti/mask/mask.nii.gz"), image.geometry());
        Map<String, List<Object>> out = new InMemoryToolContext(BiomarkerTools.IBSI,
                Map.of("image", List.of(image), "mask", List.of(mask), "roi", List.of("phantom")), work, sample).run();
        return (FeatureTable) out.get("features").get(0);
    }

    @Test
    void theIbsiToolComputesEveryFeatureForItsSampleAndRoi(@TempDir Path work) throws Exception {
        FeatureTable t = phantomFeatures(work, "p1");
        assertTrue(t.size() >= 482, "only " + t.size() + " rows");
        assertTrue(t.rows().stream().allMatch(r -> r.sample().equals("p1") && r.roi().equals("phantom")));
        FeatureRow volume = t.rows().stream().filter(r -> r.feature().ibsiCode().equals("RNU0")).findFirst().orElseThrow();
        assertEquals(556, volume.feature().value(), 4);
    }

    @Test
    void featureTablesAreStoredAsCsvAndReadBackExactly(@TempDir Path work) throws Exception {
        FeatureTable t = phantomFeatures(work, "p1");
        var codec = ((ValueType) TOOLS.types().find("FeatureTable").orElseThrow()).codec().orElseThrow();
        Path f = work.resolve("features" + codec.extension());
        codec.write(t, f);
        FeatureTable back = (FeatureTable) codec.read(f);
        assertEquals(t.rows(), back.rows());
    }

    @Test
    void aFeatureTableIsWrittenAsJsonGroupedBySampleWithUndefinedValuesAsNullAndTheirReason(@TempDir Path work)
            throws Exception {
        FeatureTable t = new FeatureTable()
                .add("s1", "GTV", List.of(new Feature(FeatureFamily.MORPHOLOGY, "volume", "RNU0", Aggregation.FEATURE_3D, 12.5, null),
                        new Feature(FeatureFamily.MORPHOLOGY, "moran_i", "N365", Aggregation.FEATURE_3D, Double.NaN, "one voxel")));
        String json = ((BuiltinTypes.JsonFile) new InMemoryToolContext(BiomarkerTools.TO_JSON, Map.of("table", List.of(t)),
                work, "s1").run().get("json").get(0)).uri().getPath();
        JsonNode root = new ObjectMapper().readTree(new java.io.File(json));
        JsonNode s1 = root.path("samples").get(0);
        assertEquals("s1", s1.path("sample").asText());
        assertEquals("GTV", s1.path("roi").asText());
        assertEquals(12.5, s1.path("features").get(0).path("value").asDouble());
        assertTrue(s1.path("features").get(0).path("reason").isMissingNode());
        assertTrue(s1.path("features").get(1).path("value").isNull());
        assertEquals("one voxel", s1.path("features").get(1).path("reason").asText());
        // Tools taking any Table (such as the executors' Parquet writer) accept feature tables.
        assertTrue(TOOLS.types().isAssignable(TOOLS.types().find("FeatureTable").orElseThrow(),
                TOOLS.types().find("Table").orElseThrow()));
        assertEquals(12.5, t.value(0, 6));
        assertEquals(null, t.value(1, 6));
    }

    @Test
    void mergingTablesKeepsEveryRowInOrder(@TempDir Path work) throws Exception {
        FeatureTable a = phantomFeatures(work, "a");
        FeatureTable b = phantomFeatures(work, "b");
        FeatureTable merged = (FeatureTable) new InMemoryToolContext(BiomarkerTools.MERGE,
                Map.of("tables", List.of(a, b)), work, "all").run().get("table").get(0);
        assertEquals(a.size() + b.size(), merged.size());
        assertEquals("b", merged.rows().get(merged.size() - 1).sample());
    }

    @Test
    void aNiftiRadiomicsNetworkValidatesAndPlans() {
        Path sts = TestData.require("sts-cohort");
        NetworkYaml.Loaded net = NetworkYaml.read("""
                network: nifti-radiomics
                sources:
                  image: {type: NiftiImageGz}
                  mask: {type: NiftiImageGz}
                nodes:
                  read:
                    tool: imaging/NiftiRead:1
                    inputs: {image: image}
                  roi:
                    tool: imaging/NiftiToMask:1
                    inputs: {image: mask, reference: read.volume}
                  features:
                    tool: biomarkers/Ibsi:1
                    inputs: {image: read.volume, mask: roi.mask}
                    parameters: {roi: GTV_Mass}
                  cohort:
                    tool: biomarkers/MergeFeatureTables:1
                    inputs:
                      tables: {from: features.features, collapse: image}
                sinks:
                  table: {from: cohort.table, url: "file:///tmp/cohort{ext}"}
                """, "nifti-radiomics.yaml");
        SourceData.Builder data = SourceData.builder();
        for (String p : List.of("STS_001", "STS_002", "STS_003", "STS_004")) {
            data.add("image", p, sts.resolve("nifti/" + p + "/CT_image.nii.gz").toUri().toString());
            data.add("mask", p, sts.resolve("nifti/" + p + "/CT_mask.nii.gz").toUri().toString());
        }
        JobGraph g = new Planner(TOOLS).plan(net.network(), net.locator(), data.build(), ExpansionSizes.UNKNOWN);
        assertEquals(13, g.runnableJobs());
        assertEquals(4, g.stage("cohort").orElseThrow().jobs().get(0).inputs().get("tables").size());
    }
}
