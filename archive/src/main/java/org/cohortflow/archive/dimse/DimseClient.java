package org.cohortflow.archive.dimse;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.FindSOPClassSCU;
import com.pixelmed.network.GetSOPClassSCU;
import com.pixelmed.network.IdentifierHandler;
import com.pixelmed.network.MoveSOPClassSCU;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import com.pixelmed.network.VerificationSOPClassSCU;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cohortflow.archive.dicomweb.ArchiveException;

/**
 * A DIMSE service class user talking to one archive ({@code called}) as {@code callingAet}, through PixelMed:
 * C-ECHO, C-FIND (study root, any level), C-GET and C-MOVE of a series, and C-STORE of files. Every failure is an
 * {@link ArchiveException} naming the peer ({@code dicom://AET@host:port}), the operation and the cause.
 * Each call opens and releases its own association, so the client is safe to share between threads.
 */
public final class DimseClient {
    /** The query/retrieve levels of the study root information model. */
    public enum Level { STUDY, SERIES, IMAGE }

    /** The storage SOP classes a C-GET accepts: images, structure sets, segmentations and reports pipelines read or write. */
    private static final Set<String> GET_STORAGE_CLASSES = Set.of(SOPClass.CTImageStorage, SOPClass.MRImageStorage,
            SOPClass.PETImageStorage, SOPClass.EnhancedCTImageStorage, SOPClass.EnhancedMRImageStorage, SOPClass.EnhancedPETImageStorage,
            SOPClass.RTStructureSetStorage, SOPClass.SegmentationStorage, SOPClass.ComprehensiveSRStorage, SOPClass.EnhancedSRStorage,
            SOPClass.SecondaryCaptureImageStorage);

    private final DimsePeer called;
    private final String callingAet;

    public DimseClient(DimsePeer called, String callingAet) {
        this.called = called;
        this.callingAet = callingAet;
        new DimsePeer(callingAet, "localhost", 1); // validates the AE title
    }

    public DimsePeer peer() {
        return called;
    }

    /** C-ECHO: whether the peer answers; an {@link ArchiveException} when it does not. */
    public void echo() {
        call("C-ECHO", () -> {
            new VerificationSOPClassSCU(called.host(), called.port(), called.aet(), callingAet, false, 0);
            return null;
        });
    }

    /**
     * C-FIND at {@code level} (study root): {@code keys} maps attribute keywords ({@code PatientID},
     * {@code Modality}, {@code SeriesInstanceUID}, ...) to match values; an empty value asks for the attribute
     * back without matching on it. Returns one attribute list per match.
     */
    public List<AttributeList> find(Level level, Map<String, String> keys) {
        AttributeList identifier = identifier(level, keys);
        return call("C-FIND " + level + " " + keys, () -> {
            List<AttributeList> results = Collections.synchronizedList(new ArrayList<>());
            new FindSOPClassSCU(called.host(), called.port(), called.aet(), callingAet,
                    SOPClass.StudyRootQueryRetrieveInformationModelFind, identifier, new IdentifierHandler() {
                        @Override
                        public void doSomethingWithIdentifier(AttributeList id) {
                            results.add(id);
                        }
                    });
            return List.copyOf(results);
        });
    }

    /** What a C-STORE of several files did. */
    public record StoreOutcome(int completed, int failed, int warnings) {}

    /** C-STORE of {@code files}; an error naming the peer when any is refused. */
    public StoreOutcome store(List<Path> files) {
        return call("C-STORE of " + files.size() + " files", () -> {
            SetOfDicomFiles set = new SetOfDicomFiles();
            for (Path f : files) set.add(f.toFile());
            int[] last = new int[3];
            new StorageSOPClassSCU(called.host(), called.port(), called.aet(), callingAet, set, 0,
                    new MultipleInstanceTransferStatusHandler() {
                        @Override
                        public void updateStatus(int remaining, int completed, int failed, int warning, String sopInstanceUid) {
                            last[0] = completed;
                            last[1] = failed;
                            last[2] = warning;
                        }
                    });
            StoreOutcome o = new StoreOutcome(last[0], last[1], last[2]);
            if (o.failed() > 0 || o.completed() + o.warnings() < files.size()) {
                throw new DicomNetworkException(o.failed() + " of " + files.size() + " files were refused (" + o.completed() + " stored)");
            }
            return o;
        });
    }

    /**
     * C-GET of a series into {@code folder} (as {@code <SOPInstanceUID>.dcm}): the archive sends the instances
     * back over the same association. {@code expectedInstances} (from a C-FIND, say) guards against a series
     * delivered incomplete; pass -1 not to check.
     */
    public List<Path> getSeries(String studyUid, String seriesUid, Path folder, int expectedInstances) {
        return call("C-GET series " + seriesUid, () -> {
            Files.createDirectories(folder);
            Path tmp = Files.createTempDirectory(folder, ".cget-");
            try {
                Map<String, String> keys = new LinkedHashMap<>();
                keys.put("StudyInstanceUID", studyUid);
                keys.put("SeriesInstanceUID", seriesUid);
                List<String> received = Collections.synchronizedList(new ArrayList<>());
                new GetSOPClassSCU(called.host(), called.port(), called.aet(), callingAet,
                        SOPClass.StudyRootQueryRetrieveInformationModelGet, identifier(Level.SERIES, keys), new IdentifierHandler(),
                        tmp.toFile(), StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, new ReceivedObjectHandler() {
                            @Override
                            public void sendReceivedObjectIndication(String file, String transferSyntax, String callingAe) {
                                received.add(file);
                            }
                        }, new HashSet<>(GET_STORAGE_CLASSES), true, false, false);
                if (received.isEmpty()) throw new DicomNetworkException("the archive sent no instance (no such series?)");
                if (expectedInstances >= 0 && received.size() != expectedInstances) {
                    throw new DicomNetworkException("the archive sent " + received.size() + " of " + expectedInstances + " instances");
                }
                List<Path> out = new ArrayList<>();
                for (String f : received) {
                    Path p = Path.of(f);
                    Path target = folder.resolve(p.getFileName().toString() + ".dcm");
                    Files.move(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    out.add(target);
                }
                out.sort(Comparator.naturalOrder());
                return out;
            } finally {
                deleteTree(tmp);
            }
        });
    }

    /** C-MOVE of a series to the AE titled {@code destinationAet}, which the archive must know; returns the final status. */
    public int moveSeries(String studyUid, String seriesUid, String destinationAet) {
        return call("C-MOVE series " + seriesUid + " to " + destinationAet, () -> {
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("StudyInstanceUID", studyUid);
            keys.put("SeriesInstanceUID", seriesUid);
            MoveSOPClassSCU move = new MoveSOPClassSCU(called.host(), called.port(), called.aet(), callingAet, destinationAet,
                    SOPClass.StudyRootQueryRetrieveInformationModelMove, identifier(Level.SERIES, keys));
            if (move.getStatus() != 0) {
                throw new DicomNetworkException(String.format("the archive answered status 0x%04X", move.getStatus()));
            }
            return move.getStatus();
        });
    }

    private static AttributeList identifier(Level level, Map<String, String> keys) {
        AttributeList id = new AttributeList();
        try {
            Attribute qr = new CodeStringAttribute(TagFromName.QueryRetrieveLevel);
            qr.addValue(level.name());
            id.put(qr);
            DicomDictionary dict = DicomDictionary.StandardDictionary;
            for (Map.Entry<String, String> e : keys.entrySet()) {
                AttributeTag tag = dict.getTagFromName(e.getKey());
                if (tag == null) throw new IllegalArgumentException("not a DICOM attribute keyword: '" + e.getKey() + "'");
                Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag, dict.getValueRepresentationFromTag(tag));
                if (!e.getValue().isEmpty()) a.addValue(e.getValue());
                id.put(a);
            }
        } catch (DicomException e) {
            throw new IllegalArgumentException("bad C-FIND key: " + e.getMessage(), e);
        }
        return id;
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws DicomNetworkException, DicomException, IOException;
    }

    private <T> T call(String what, Operation<T> op) {
        try {
            return op.run();
        } catch (DicomNetworkException | DicomException | IOException e) {
            throw new ArchiveException(called.uri(), null, what + " with " + called + " as " + callingAet + ": " + describe(e), e);
        } catch (RuntimeException e) {
            if (e instanceof ArchiveException || e instanceof IllegalArgumentException) throw e;
            throw new ArchiveException(called.uri(), null, what + " with " + called + " as " + callingAet + ": " + e, e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.net.ConnectException) return "cannot connect: the peer is down or unreachable (" + e.getMessage() + ")";
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            // a hidden temporary folder left behind is harmless
        }
    }
}
