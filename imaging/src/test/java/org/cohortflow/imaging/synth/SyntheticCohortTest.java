package org.cohortflow.imaging.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cohortflow.imaging.Geometry;
import org.cohortflow.imaging.ImagingException;
import org.cohortflow.imaging.Mask;
import org.cohortflow.imaging.TestData;
import org.cohortflow.imaging.Volume;
import org.cohortflow.imaging.dicom.DicomSeries;
import org.cohortflow.imaging.dicom.DicomSeriesReader;
import org.cohortflow.imaging.index.DicomIndexer;
import org.cohortflow.imaging.index.IndexResult;
import org.cohortflow.imaging.index.SeriesSample;
import org.cohortflow.imaging.pipeline.DicomCohortSource;
import org.cohortflow.imaging.rtstruct.RtStruct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic cohort written to disk and read back by our readers, by pydicom and against its truth table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheticCohortTest {
    private static final int SUBJECTS = 4;
    private static final long SEED = 20240601;

    @TempDir
    Path dir;

    private Path cohort;
    private SyntheticCohort generator;
    private List<SubjectTruth> truth;

    @BeforeAll
    void writeCohort(@TempDir Path shared) {
        cohort = shared.resolve("cohort");
        generator = new SyntheticCohort(SynthOptions.defaults(), SEED);
        truth = generator.write(cohort, SUBJECTS, 2);
    }

    @Test
    void eachSubjectHasACtFolderAnRtstructAndARowInTheTruthTable() throws IOException {
        try (Stream<Path> s = Files.list(cohort)) {
            assertEquals(List.of(SyntheticCohort.DICOM_DIR, SyntheticCohort.TRUTH_CSV), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.list(SyntheticCohort.dicomRoot(cohort))) {
            assertEquals(java.util.stream.IntStream.range(0, SUBJECTS).mapToObj(SyntheticCohort::subjectId).toList(),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<SubjectTruth> read = SyntheticCohort.readTruth(cohort.resolve(SyntheticCohort.TRUTH_CSV));
        assertEquals(truth.stream().map(SubjectTruth::toCsv).toList(), read.stream().map(SubjectTruth::toCsv).toList());
        for (SubjectTruth t : read) {
            double[] r = t.radii();
            assertEquals(4.0 / 3.0 * Math.PI * r[0] * r[1] * r[2], t.analyticVolumeMm3(), 1e-3, t.subject());
            assertEquals(SynthOptions.defaults().slices(), countFiles(cohort.resolve(t.ctDir())), t.subject());
            assertTrue(Files.isRegularFile(cohort.resolve(t.rtstruct())), t.rtstruct());
            assertEquals(SyntheticSubject.ROI_NAME, t.roi());
            if (t.shape() == LesionShape.SPHERE) assertTrue(r[0] == r[1] && r[1] == r[2], t.toCsv());
        }
    }

    @Test
    void theCtReadsBackAsARegularSeriesOnTheDrawnGridWithTheDrawnVoxels() {
        for (int i = 0; i < SUBJECTS; i++) {
            SyntheticSubject s = generator.subject(i);
            List<DicomSeries> series = DicomSeriesReader.scan(subjectDir(s));
            assertEquals(1, series.size(), "the RTSTRUCT is not an image series");
            DicomSeries ct = series.get(0);
            assertTrue(ct.isRegular(), ct.problems().toString());
            assertEquals("CT", ct.modality());
            assertEquals(s.id(), ct.patientId());
            assertEquals(s.uids().series(), ct.seriesInstanceUid());
            assertEquals(s.uids().frameOfReference(), ct.frameOfReferenceUid());
            Geometry g = ct.geometry();
            assertTrue(g.sameGrid(s.geometry(), 1e-4), g.mismatch(s.geometry(), 1e-4));
            assertArrayEquals(new int[] {96, 96, 48}, g.dims());
            assertArrayEquals(new double[] {0.9, 0.9, 2.5}, g.spacing(), 1e-6);
            Volume read = DicomSeriesReader.read(ct);
            assertArrayEquals(s.image().toFloatArray(), read.toFloatArray(), "HU after rescale slope/intercept");
        }
    }

    @Test
    void theImageHasAirABodyOfSoftTissueAndALesionOfTheDrawnMeanIntensity() {
        SyntheticSubject s = generator.subject(0);
        float[] hu = s.image().toFloatArray();
        Geometry g = s.geometry();
        double lesionSum = 0, tissueSum = 0;
        int lesionN = 0, tissueN = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.indexToWorld(i, j, k);
                    float v = hu[g.index(i, j, k)];
                    if (s.lesion().contains(p[0], p[1], p[2])) {
                        lesionSum += v;
                        lesionN++;
                    } else if (v > -500) {
                        tissueSum += v;
                        tissueN++;
                    }
                }
            }
        }
        assertTrue(hu[0] < -900, "corner is air: " + hu[0]);
        assertEquals(SyntheticSubject.SOFT_TISSUE_HU, tissueSum / tissueN, 0.5);
        // The pattern averages out over the lesion only approximately; its amplitude is 15 HU.
        assertEquals(s.lesionMeanHu(), lesionSum / lesionN, 5.0);
    }

    @Test
    void everyFileIsIndexedAndEachSubjectIsOneCtSampleWithItsRtstruct() {
        IndexResult index = DicomIndexer.index(SyntheticCohort.dicomRoot(cohort), 2);
        assertEquals(List.of(), index.failures());
        assertEquals(SUBJECTS * (SynthOptions.defaults().slices() + 1), index.rows().size());

        List<DicomCohortSource.Sample> samples = DicomCohortSource.discover(SyntheticCohort.dicomRoot(cohort), SeriesSample.modality("CT"), 2);
        assertEquals(truth.stream().map(SubjectTruth::subject).toList(), samples.stream().map(DicomCohortSource.Sample::id).toList());
        for (DicomCohortSource.Sample s : samples) {
            SubjectTruth t = truth.stream().filter(x -> x.subject().equals(s.id())).findFirst().orElseThrow();
            assertEquals(t.seriesUid(), s.series().seriesUid());
            assertEquals(Optional.of(cohort.resolve(t.rtstruct()).toAbsolutePath().normalize()), s.rtstruct().map(Path::of));
        }
    }

    @Test
    void theRtstructReferencesTheSeriesAndItsFrameOfReferenceWithOneGtv() {
        for (int i = 0; i < SUBJECTS; i++) {
            SyntheticSubject s = generator.subject(i);
            RtStruct rt = RtStruct.read(subjectDir(s).resolve(SyntheticCohort.RTSTRUCT_FILE));
            assertEquals(List.of("GTV"), rt.roiNames());
            assertEquals(Set.of(s.uids().series()), rt.referencedSeriesUids());
            assertEquals(s.uids().frameOfReference(), rt.frameOfReferenceUid());
            RtStruct.Roi roi = rt.roi("GTV");
            assertEquals(s.contours().size(), roi.contours().size());
            for (double[] c : roi.contours()) assertEquals(3 * SynthOptions.defaults().contourPoints(), c.length);
        }
    }

    @Test
    void theRasterisedRtstructVolumeIsWithinTwoPercentOfTheAnalyticVolume() {
        for (SubjectTruth t : truth) {
            DicomSeries ct = DicomSeriesReader.scan(cohort.resolve(t.ctDir())).get(0);
            Mask mask = RtStruct.read(cohort.resolve(t.rtstruct())).toMask(t.roi(), ct);
            double[] sp = ct.geometry().spacing();
            double voxelVolume = mask.count() * sp[0] * sp[1] * sp[2];
            double error = voxelVolume / t.analyticVolumeMm3() - 1;
            assertTrue(Math.abs(error) <= 0.02, t.subject() + " " + t.shape().label() + ": voxel volume " + voxelVolume
                    + " mm3 vs analytic " + t.analyticVolumeMm3() + " mm3 (" + 100 * error + "%)");
            // The contours sample the lesion on the slices, so they agree closely with the lesion voxels of the image.
            SyntheticSubject s = generator.subject(truth.indexOf(t));
            Mask drawn = lesionVoxels(s);
            assertTrue(mask.dice(drawn) > 0.99, t.subject() + ": Dice " + mask.dice(drawn));
        }
    }

    @Test
    void theSameSeedGivesIdenticalFilesWhateverTheCohortSizeAndAnotherSeedDoesNot() throws IOException {
        Path one = dir.resolve("one");
        new SyntheticCohort(SynthOptions.defaults(), SEED).write(one, 1, 1);
        List<Path> files = files(SyntheticCohort.dicomRoot(one).resolve(SyntheticCohort.subjectId(0)));
        assertEquals(files(SyntheticCohort.dicomRoot(cohort).resolve(SyntheticCohort.subjectId(0))).stream().map(p -> cohort.relativize(p).toString()).toList(),
                files.stream().map(p -> one.relativize(p).toString()).toList());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(cohort.resolve(one.relativize(f))), Files.readAllBytes(f), f.toString());
        }
        SyntheticSubject other = new SyntheticCohort(SynthOptions.defaults(), SEED + 1).subject(0);
        SyntheticSubject same = generator.subject(0);
        assertNotEquals(same.lesion(), other.lesion());
        assertNotEquals(same.uids().study(), other.uids().study());
        Set<String> uids = new java.util.HashSet<>(same.uids().instances());
        uids.addAll(List.of(same.uids().study(), same.uids().series(), same.uids().frameOfReference(), same.uids().structureSet(),
                same.uids().structureSetSeries()));
        assertEquals(same.uids().instances().size() + 5, uids.size(), "UIDs within a subject are distinct");
        for (String uid : uids) assertTrue(uid.matches("2\\.25\\.[1-9][0-9]*") && uid.length() <= 64, uid);
    }

    @Test
    void contourPointsLieOnTheLesionSurfaceAndEnclosePlanarSlicesOfIt() {
        SyntheticCohort ellipsoids = new SyntheticCohort(SynthOptions.defaults().withShapes(List.of(LesionShape.ELLIPSOID)), 7);
        for (int i = 0; i < 5; i++) {
            SyntheticSubject s = ellipsoids.subject(i);
            List<SyntheticSubject.Contour> contours = s.contours();
            assertFalse(contours.isEmpty());
            for (SyntheticSubject.Contour c : contours) {
                double[] p = c.points();
                for (int q = 0; q < c.size(); q++) {
                    assertEquals(1.0, s.lesion().level(p[3 * q], p[3 * q + 1], p[3 * q + 2]), 1e-9, "point on the surface");
                    assertEquals(s.sliceZ(c.slice()), p[3 * q + 2], 1e-12, "point in the slice plane");
                }
            }
            // Every slice whose plane cuts the lesion has a contour, and no other slice.
            double hz = s.lesion().halfExtent(2);
            long cut = java.util.stream.IntStream.range(0, s.geometry().nz())
                    .filter(k -> Math.abs(s.sliceZ(k) - s.lesion().centre()[2]) < hz).count();
            assertEquals(cut, contours.size());
        }
        Lesion sphere = Lesion.sphere(new double[] {1, 2, 3}, 10);
        Lesion.Ellipse e = sphere.axialSection(9).orElseThrow();
        assertEquals(Math.sqrt(100 - 36), e.a(), 1e-12);
        assertEquals(Math.sqrt(100 - 36), e.b(), 1e-12);
        assertTrue(sphere.axialSection(13).isEmpty());
    }

    @Test
    void aCohortFolderThatIsNotEmptyIsRefusedAndTooLargeLesionsAreRejected() throws IOException {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("keep.txt"), "not ours");
        ImagingException e = assertThrows(ImagingException.class, () -> generator.write(busy, 1, 1));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of(busy.resolve("keep.txt")), files(busy));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> SynthOptions.defaults().withRadii(12, 40));
        assertTrue(tooBig.getMessage().contains("does not fit"), tooBig.getMessage());
    }

    @Test
    void pydicomReadsTheFilesAndFindsEveryContourOnTheSliceItReferences() throws Exception {
        String python = TestData.requirePython("pydicom", "numpy");
        String script = """
                import sys, glob, os, pydicom, numpy as np
                subject = sys.argv[1]
                cts = [pydicom.dcmread(f) for f in sorted(glob.glob(os.path.join(subject, 'CT', '*.dcm')))]
                rt = pydicom.dcmread(os.path.join(subject, 'RTSTRUCT', 'rtstruct.dcm'))
                assert all(c.SOPClassUID == '1.2.840.10008.5.1.4.1.1.2' for c in cts)
                assert rt.SOPClassUID == '1.2.840.10008.5.1.4.1.1.481.3'
                assert all(str(c.file_meta.TransferSyntaxUID) == '1.2.840.10008.1.2.1' for c in cts + [rt])
                z_by_sop = {c.SOPInstanceUID: float(c.ImagePositionPatient[2]) for c in cts}
                cts.sort(key=lambda c: float(c.ImagePositionPatient[2]))
                hu = np.stack([c.pixel_array * float(c.RescaleSlope) + float(c.RescaleIntercept) for c in cts])
                ref = rt.ReferencedFrameOfReferenceSequence[0]
                series = ref.RTReferencedStudySequence[0].RTReferencedSeriesSequence[0]
                assert ref.FrameOfReferenceUID == cts[0].FrameOfReferenceUID
                assert series.SeriesInstanceUID == cts[0].SeriesInstanceUID
                assert set(i.ReferencedSOPInstanceUID for i in series.ContourImageSequence) == set(z_by_sop)
                assert rt.StudyInstanceUID == cts[0].StudyInstanceUID and rt.PatientID == cts[0].PatientID
                points = 0
                for c in rt.ROIContourSequence[0].ContourSequence:
                    assert c.ContourGeometricType == 'CLOSED_PLANAR'
                    data = np.array(c.ContourData, dtype=float).reshape(-1, 3)
                    assert len(data) == int(c.NumberOfContourPoints)
                    assert np.allclose(data[:, 2], z_by_sop[c.ContourImageSequence[0].ReferencedSOPInstanceUID], atol=1e-6)
                    points += len(data)
                print(rt.StructureSetROISequence[0].ROIName, len(rt.ROIContourSequence[0].ContourSequence), points,
                      hu.shape[0], hu.shape[1], hu.shape[2], int(hu.sum()), cts[0].PixelSpacing[0], cts[0].SliceThickness)
                """;
        for (int i = 0; i < 2; i++) {
            SyntheticSubject s = generator.subject(i);
            String out = TestData.runPython(python, script, List.of(subjectDir(s).toString())).trim();
            long huSum = 0;
            for (float v : s.image().toFloatArray()) huSum += (long) v;
            int contours = s.contours().size();
            assertEquals("GTV " + contours + " " + contours * SynthOptions.defaults().contourPoints() + " 48 96 96 " + huSum + " 0.9 2.5", out);
        }
    }

    private Path subjectDir(SyntheticSubject s) {
        return SyntheticCohort.dicomRoot(cohort).resolve(s.id());
    }

    private static Mask lesionVoxels(SyntheticSubject s) {
        Geometry g = s.geometry();
        java.util.BitSet bits = new java.util.BitSet(g.voxelCount());
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.indexToWorld(i, j, k);
                    if (s.lesion().contains(p[0], p[1], p[2])) bits.set(g.index(i, j, k));
                }
            }
        }
        return new Mask(g, bits);
    }

    private static long countFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }
}
