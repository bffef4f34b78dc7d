package org.cohortflow.archive.dimse;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.dsl.io.RemoteData;

/**
 * {@code dicom://AET@HOST:PORT/studies/S/series/X} values in pipelines, for archives without DICOMweb: a series
 * exists when C-FIND finds it, is hashed from an IMAGE-level C-FIND (every instance's SOP Instance UID and the
 * attributes the archive returns for it; no pixel data moves) and is fetched with C-GET when a job runs, which
 * must deliver exactly the instances hashed. The calling AE title is the run setting {@code cohortflow.archive.aet}
 * (default {@code COHORTFLOW}); the archive must accept it.
 */
public final class DimseData implements RemoteData {
    public static final String CALLING_AET = "cohortflow.archive.aet";
    /** What an IMAGE-level C-FIND asks back about each instance, for the hash. */
    private static final String[] INSTANCE_KEYS = {"SOPInstanceUID", "SOPClassUID", "InstanceNumber", "ImagePositionPatient", "Rows",
        "Columns", "AcquisitionDateTime", "ContentDate", "ContentTime"};

    private final Map<URI, Map<String, String>> described = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes() {
        return Set.of(DimseRef.SCHEME);
    }

    private static DimseClient client(DimseRef ref, Function<String, String> settings) {
        String aet = settings.apply(CALLING_AET);
        return new DimseClient(ref.peer(), aet == null || aet.isBlank() ? "COHORTFLOW" : aet);
    }

    @Override
    public boolean exists(URI uri, Function<String, String> settings) throws IOException {
        DimseRef ref = DimseRef.parse(uri);
        try {
            return !instances(ref, settings).isEmpty();
        } catch (ArchiveException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isDirectory(URI uri, Function<String, String> settings) {
        return DimseRef.parse(uri).sopUid().isEmpty();
    }

    @Override
    public String contentHash(URI uri, Function<String, String> settings) throws IOException {
        DimseRef ref = DimseRef.parse(uri);
        try {
            Map<String, String> instances = instances(ref, settings);
            if (instances.isEmpty()) throw new IOException(uri + ": the archive holds no instance of it");
            described.put(uri, instances);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("dimse-series\0".getBytes(StandardCharsets.UTF_8));
            instances.forEach((sop, attrs) -> md.update((sop + "\0" + attrs + "\0").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest());
        } catch (ArchiveException e) {
            throw new IOException(e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Path localise(URI uri, Path localDir, Function<String, String> settings) throws IOException {
        DimseRef ref = DimseRef.parse(uri);
        try {
            Map<String, String> expected = described.containsKey(uri) ? described.get(uri) : instances(ref, settings);
            Path folder = localDir.resolve(ref.sopUid().orElse(ref.seriesUid()));
            List<Path> files = client(ref, settings).getSeries(ref.studyUid(), ref.seriesUid(), folder, -1);
            if (ref.sopUid().isPresent()) {
                // C-GET at series level brings the whole series; keep the one instance asked for.
                for (Path f : files) if (!f.getFileName().toString().equals(ref.sopUid().get() + ".dcm")) Files.delete(f);
                Path file = folder.resolve(ref.sopUid().get() + ".dcm");
                if (!Files.exists(file)) throw new IOException(uri + ": the archive did not deliver the instance");
                return file;
            }
            Set<String> got = files.stream().map(f -> f.getFileName().toString().replaceFirst("\\.dcm$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!got.equals(expected.keySet())) {
                deleteTree(folder);
                throw new IOException("series " + uri + " is incomplete: the archive delivered " + got.size() + " of "
                        + expected.size() + " instances");
            }
            return folder;
        } catch (ArchiveException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** SOP Instance UID to the attributes an IMAGE-level C-FIND returns for it (one instance when the URI names one). */
    private static Map<String, String> instances(DimseRef ref, Function<String, String> settings) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("StudyInstanceUID", ref.studyUid());
        keys.put("SeriesInstanceUID", ref.seriesUid());
        for (String k : INSTANCE_KEYS) keys.put(k, "");
        ref.sopUid().ifPresent(s -> keys.put("SOPInstanceUID", s));
        Map<String, String> out = new TreeMap<>();
        for (AttributeList a : client(ref, settings).find(DimseClient.Level.IMAGE, keys)) {
            StringBuilder b = new StringBuilder();
            for (String k : INSTANCE_KEYS) {
                Attribute at = a.get(tag(k));
                b.append(k).append('=').append(at == null ? "" : at.getDelimitedStringValuesOrEmptyString()).append(';');
            }
            Attribute sop = a.get(TagFromName.SOPInstanceUID);
            if (sop != null) out.put(sop.getSingleStringValueOrEmptyString(), b.toString());
        }
        return out;
    }

    private static AttributeTag tag(String keyword) {
        return com.pixelmed.dicom.DicomDictionary.StandardDictionary.getTagFromName(keyword);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
