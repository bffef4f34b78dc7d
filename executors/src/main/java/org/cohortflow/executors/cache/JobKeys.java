package org.cohortflow.executors.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.cohortflow.executors.storage.Storage;

/**
 * Content addresses of jobs. A job's key hashes the tool id and version, the tool's definition when it
 * is a command-line tool (so that editing its YAML reruns it even without a new version), and for every
 * input port, in order, the content hashes of its values (parameters and defaults included). Two jobs
 * with the same key compute the same outputs, which is what lets a rerun skip them.
 */
public final class JobKeys {
    private JobKeys() {}

    /** One input port and the hashes of its values. */
    public record PortHashes(String port, List<String> hashes) {}

    public static String key(String toolId, String definitionHash, List<PortHashes> inputs) {
        MessageDigest md = Storage.sha256();
        update(md, "cohortflow-job-v1");
        update(md, toolId);
        update(md, definitionHash == null ? "" : definitionHash);
        for (PortHashes p : inputs) {
            update(md, "port:" + p.port() + ":" + p.hashes().size());
            p.hashes().forEach(h -> update(md, h));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }
}
