package org.cohortflow.tasks.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Files attached to a task's result, such as a mask the reviewer corrected with the brush. */
public final class TaskFileStore {

    /**
     * What is known about a stored file.
     *
     * @param name       file name within the task
     * @param size       bytes
     * @param sha256     hex digest of the content
     * @param uploadedBy who stored it
     * @param uploadedAt when
     */
    public record FileInfo(String name, long size, String sha256, String uploadedBy, Instant uploadedAt) {
    }

    /** Stores (or replaces) a file of a task. */
    public FileInfo put(Handle h, long taskId, String name, byte[] content, String by, Instant now) {
        String digest = sha256(content);
        h.createUpdate("DELETE FROM task_file WHERE task_id = :t AND name = :n").bind("t", taskId).bind("n", name).execute();
        h.createUpdate("INSERT INTO task_file (task_id, name, content, size_bytes, sha256, uploaded_by, uploaded_at) "
                        + "VALUES (:t, :n, :c, :size, :sha, :by, :now)")
                .bind("t", taskId).bind("n", name).bind("c", Base64.getEncoder().encodeToString(content))
                .bind("size", (long) content.length).bind("sha", digest).bind("by", by).bind("now", Timestamp.from(now)).execute();
        return new FileInfo(name, content.length, digest, by, now);
    }

    /** The content of a file, if the task has it. */
    public Optional<byte[]> content(Handle h, long taskId, String name) {
        return h.createQuery("SELECT content FROM task_file WHERE task_id = :t AND name = :n").bind("t", taskId).bind("n", name)
                .mapTo(String.class).findOne().map(Base64.getDecoder()::decode);
    }

    /** The task's files by name. */
    public List<FileInfo> list(Handle h, long taskId) {
        return h.createQuery("SELECT name, size_bytes, sha256, uploaded_by, uploaded_at FROM task_file WHERE task_id = :t ORDER BY name")
                .bind("t", taskId)
                .map((rs, ctx) -> new FileInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
