package org.cohortflow.archive.source;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.cohortflow.archive.dicomweb.ArchiveException;
import org.cohortflow.archive.dicomweb.Auth;
import org.cohortflow.archive.dicomweb.DicomWebClient;
import org.cohortflow.archive.dicomweb.DicomWebSettings;
import org.cohortflow.archive.dicomweb.QidoQuery;
import org.cohortflow.dsl.io.RemoteData;

/**
 * {@code dicomweb://} and {@code dicomwebs://} values in pipelines (found by executors through
 * {@link java.util.ServiceLoader}): a series or instance exists when QIDO-RS finds it, is hashed from its
 * metadata (SOP Instance UIDs and attributes; no pixel data moves), and is fetched with WADO-RS into the job's
 * staging folder only when a job runs. The fetch must deliver exactly what was hashed, so a job never runs on
 * a series other than the one its cache key describes.
 *
 * <p>Credentials come from the run settings or the environment ({@link ArchiveCredentials}).
 */
public final class DicomWebData implements RemoteData {
    /** Clients by root and credentials: one connection pool per archive for this instance's lifetime. */
    private final Map<String, DicomWebClient> clients = new ConcurrentHashMap<>();
    /** What each URI was hashed as, so that staging can insist on the same instances. */
    private final Map<URI, SeriesFetcher.Description> described = new ConcurrentHashMap<>();
    /** Series fetched lately, so that several jobs reading one series download it once. */
    private final StagedSeries staged = new StagedSeries(16);

    @Override
    public Set<String> schemes() {
        return Set.of(DicomWebRef.SCHEME, DicomWebRef.SECURE_SCHEME);
    }

    @Override
    public boolean exists(URI uri, Function<String, String> settings) throws IOException {
        DicomWebRef ref = DicomWebRef.parse(uri);
        DicomWebClient c = client(ref, settings);
        try {
            if (ref.studyUid().isEmpty()) {
                c.searchStudies(QidoQuery.all().page(1, 0));
                return true;
            }
            if (ref.seriesUid().isEmpty()) return !c.searchStudies(QidoQuery.all().with("StudyInstanceUID", ref.studyUid().get())).isEmpty();
            if (ref.sopUid().isEmpty()) {
                return !c.searchSeries(ref.studyUid().get(), QidoQuery.all().with("SeriesInstanceUID", ref.seriesUid().get())).isEmpty();
            }
            return !c.searchInstances(ref.studyUid().get(), ref.seriesUid().get(),
                    QidoQuery.all().with("SOPInstanceUID", ref.sopUid().get())).isEmpty();
        } catch (ArchiveException e) {
            if (e.status().orElse(0) == 404) return false;
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isDirectory(URI uri, Function<String, String> settings) {
        return DicomWebRef.parse(uri).sopUid().isEmpty();
    }

    @Override
    public String contentHash(URI uri, Function<String, String> settings) throws IOException {
        DicomWebRef ref = DicomWebRef.parse(uri);
        try {
            SeriesFetcher.Description d = new SeriesFetcher(client(ref, settings)).describe(ref);
            described.put(uri, d);
            return d.hash();
        } catch (ArchiveException | IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Path localise(URI uri, Path localDir, Function<String, String> settings) throws IOException {
        DicomWebRef ref = DicomWebRef.parse(uri);
        try {
            SeriesFetcher f = new SeriesFetcher(client(ref, settings));
            SeriesFetcher.Description d = Optional.ofNullable(described.get(uri)).orElseGet(() -> f.describe(ref));
            String name = ref.sopUid().map(s -> s + ".dcm").orElse(ref.seriesUid().orElseThrow());
            // The cache is keyed by content: a series that changed has another hash and is fetched anew.
            return staged.stage(d.hash(), localDir.resolve(name), dir -> f.fetch(d, dir));
        } catch (ArchiveException | IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private DicomWebClient client(DicomWebRef ref, Function<String, String> settings) {
        Auth auth = ArchiveCredentials.resolve(settings);
        return clients.computeIfAbsent(ref.httpRoot() + " " + auth.header().orElse(""),
                k -> new DicomWebClient(DicomWebSettings.of(ref.httpRoot(), auth)));
    }
}
