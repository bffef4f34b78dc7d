package org.cohortflow.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files a run's sinks wrote, by path relative to the sinks' folder and SHA-256 of their bytes, and how two
 * such sets differ. Provenance files ({@code *.prov.json}) are left out: they hold times, hosts and run ids, which
 * differ between any two runs by design. So are the run machinery's own hidden files, which are not outputs: a
 * writer's temporary ({@code .cohortflow-tmp-*}, counted as a leftover elsewhere) and a folder lock left by a
 * killed holder ({@code .cohortflow.lock}, harmless by design: the next holder takes it over).
 */
public record SinkSet(SortedMap<String, String> files) {
    /** Prefix of the temporary files a writer renames into place (executors' {@code Storage}). */
    public static final String TEMP_PREFIX = ".cohortflow-tmp-";
    /** A folder lock's file (executors' {@code FolderLock}). */
    public static final String LOCK_FILE = ".cohortflow.lock";

    public SinkSet {
        files = new TreeMap<>(files);
    }

    /**
     * One way two sink sets differ.
     *
     * @param path the file, relative to the sinks' folder, with {@code /} separators
     * @param kind {@code missing} (in the reference only), {@code extra} (in the compared set only) or
     *             {@code different bytes}
     */
    public record Difference(String path, String kind) {}

    /** True for the files that are not compared: provenance, temporaries, lock files. */
    public static boolean ignored(String fileName) {
        return fileName.endsWith(".prov.json") || fileName.startsWith(TEMP_PREFIX) || fileName.equals(LOCK_FILE);
    }

    /** Reads every compared file below {@code dir}; an absent folder is an empty set. */
    public static SinkSet read(Path dir) {
        SortedMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return new SinkSet(files);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                if (!ignored(p.getFileName().toString())) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), sha256(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SinkSet(files);
    }

    /** How {@code actual} differs from this set (the reference), sorted by path; empty when byte-identical. */
    public List<Difference> differencesFrom(SinkSet actual) {
        SortedMap<String, String> all = new TreeMap<>(files);
        actual.files().forEach(all::putIfAbsent);
        List<Difference> out = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String mine = files.get(e.getKey());
            String theirs = actual.files().get(e.getKey());
            if (mine == null) {
                out.add(new Difference(e.getKey(), "extra"));
            } else if (theirs == null) {
                out.add(new Difference(e.getKey(), "missing"));
            } else if (!mine.equals(theirs)) {
                out.add(new Difference(e.getKey(), "different bytes"));
            }
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
