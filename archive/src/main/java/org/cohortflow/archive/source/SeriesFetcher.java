package org.cohortflow.archive.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.DicomJson;
import org.cohortflow.archive.dicomweb.DicomWebClient;

/**
 * Describes and fetches one series (or instance) of a DICOMweb archive for a pipeline: a description from the
 * archive's metadata alone (its SOP Instance UIDs and a hash of every instance's attributes, no pixel data
 * transferred), and a WADO-RS retrieval that must deliver exactly the instances described, else it is an
 * error and nothing is left behind.
 */
public final class SeriesFetcher {
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final DicomWebClient client;

    public SeriesFetcher(DicomWebClient client) {
        this.client = client;
    }

    /**
     * What the archive holds of a series or instance: its instances' SOP Instance UIDs and a SHA-256 over each
     * instance's UID and metadata (bulk data references left out: they name the server, not the content).
     */
    public record Description(DicomWebRef ref, Set<String> sopUids, String hash) {
        public Description {
            sopUids = Set.copyOf(sopUids);
        }
    }

    /** Describes {@code ref} (a series or an instance) from the archive's metadata; a 404 when it is gone. */
    public Description describe(DicomWebRef ref) {
        String study = ref.studyUid().orElseThrow(() -> new IllegalArgumentException(ref + ": not a series or instance"));
        String series = ref.seriesUid().orElseThrow(() -> new IllegalArgumentException(ref + ": not a series or instance"));
        List<DicomJson> meta = ref.sopUid().isPresent()
                ? List.of(client.instanceMetadata(study, series, ref.sopUid().get()))
                : client.seriesMetadata(study, series);
        if (meta.isEmpty()) throw new ArchiveException(client.settings().root(), 404, ref + ": the archive holds no instance of it");
        Map<String, String> canonical = new TreeMap<>();
        for (DicomJson d : meta) {
            String sop = d.string(DicomJson.SOP_UID);
            if (sop.isEmpty()) throw new ArchiveException(client.settings().root(), null, ref + ": an instance without a SOP Instance UID in the metadata");
            canonical.put(sop, canonical(d.node()));
        }
        MessageDigest md = sha256();
        md.update((ref.sopUid().isPresent() ? "dicomweb-instance\0" : "dicomweb-series\0").getBytes(StandardCharsets.UTF_8));
        canonical.forEach((sop, json) -> {
            md.update(sop.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(json.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        });
        return new Description(ref, canonical.keySet(), HexFormat.of().formatHex(md.digest()));
    }

    /**
     * Retrieves the described series (or instance) into {@code localDir}: a series into the folder
     * {@code localDir/<SeriesInstanceUID>}, an instance as {@code localDir/<SOPInstanceUID>.dcm}. A folder that
     * already holds exactly the described instances is reused. When the archive delivers other instances than
     * described (some vanished, or new ones arrived since), the retrieval is an error naming the series and
     * the difference, and its files are removed.
     */
    public Path fetch(Description d, Path localDir) {
        DicomWebRef ref = d.ref();
        String study = ref.studyUid().orElseThrow();
        String series = ref.seriesUid().orElseThrow();
        try {
            Files.createDirectories(localDir);
            if (ref.sopUid().isPresent()) {
                return client.retrieveInstance(study, series, ref.sopUid().get(), localDir);
            }
            Path folder = localDir.resolve(series);
            if (Files.isDirectory(folder) && sops(folder).equals(new TreeSet<>(d.sopUids()))) return folder;
            deleteTree(folder);
            List<Path> files = client.retrieveSeries(study, series, folder);
            Set<String> got = files.stream().map(SeriesFetcher::sop).collect(Collectors.toCollection(TreeSet::new));
            if (!got.equals(new TreeSet<>(d.sopUids()))) {
                deleteTree(folder);
                Set<String> missing = new TreeSet<>(d.sopUids());
                missing.removeAll(got);
                Set<String> extra = new TreeSet<>(got);
                extra.removeAll(d.sopUids());
                throw new ArchiveException(client.settings().root(), null, "series " + ref + " is incomplete: the archive delivered "
                        + got.size() + " of " + d.sopUids().size() + " instances" + (missing.isEmpty() ? "" : "; missing " + first(missing))
                        + (extra.isEmpty() ? "" : "; unexpected " + first(extra)));
            }
            return folder;
        } catch (java.io.IOException e) {
            throw new ArchiveException(client.settings().root(), null, "cannot stage " + ref + " in " + localDir + ": " + e, e);
        }
    }

    private static String first(Set<String> uids) {
        List<String> l = new ArrayList<>(uids);
        return String.join(", ", l.subList(0, Math.min(3, l.size()))) + (l.size() > 3 ? " and " + (l.size() - 3) + " more" : "");
    }

    private static Set<String> sops(Path folder) throws java.io.IOException {
        try (var s = Files.list(folder)) {
            return s.map(SeriesFetcher::sop).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String sop(Path file) {
        return file.getFileName().toString().replaceFirst("\\.dcm$", "");
    }

    /** Attributes as canonical JSON: keys sorted, bulk data URIs (server addresses) replaced by a marker. */
    private static String canonical(JsonNode node) {
        JsonNode copy = node.deepCopy();
        stripBulkData(copy);
        try {
            return CANONICAL.writeValueAsString(CANONICAL.convertValue(copy, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void stripBulkData(JsonNode n) {
        if (n instanceof ObjectNode o) {
            if (o.has("BulkDataURI")) o.put("BulkDataURI", "bulk");
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) stripBulkData(it.next());
        } else if (n.isArray()) {
            n.forEach(SeriesFetcher::stripBulkData);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
