package org.cohortflow.executors.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * An exclusive lock on a folder, held by one run at a time: a run holds its run folder for its whole
 * life and each sink's folder while it writes there, so that two runs never mix their files.
 *
 * <p>The lock is the hidden file {@code .cohortflow.lock} in the folder, holding who has it (run, host,
 * process, since when). On a local file system it is an operating-system lock on that file, released by
 * the kernel when the process dies, even by {@code kill -9}, so a killed run never leaves a stale lock. On
 * other file systems (HDFS, object stores) it is the file's existence; a lock left by a dead process of
 * this host is taken over, one of another host must be removed by hand (the error says which file). The
 * holder removes the file when it lets go; a killed holder leaves it behind, unlocked and harmless.
 */
public final class FolderLock implements AutoCloseable {
    /** Name of the lock file inside the locked folder. */
    public static final String FILE = ".cohortflow.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final FileSystem remoteFs;
    private final org.apache.hadoop.fs.Path remoteFile;
    private final Path localFile;

    private FolderLock(FileChannel channel, FileLock lock, FileSystem remoteFs, org.apache.hadoop.fs.Path remoteFile,
                       Path localFile) {
        this.localFile = localFile;
        this.channel = channel;
        this.lock = lock;
        this.remoteFs = remoteFs;
        this.remoteFile = remoteFile;
    }

    /** Thrown when another holder keeps the lock beyond the time this one was willing to wait. */
    public static final class HeldException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String holder;

        HeldException(URI folder, String holder, Duration waited) {
            super(folder + " is in use by " + holder + (waited.isZero() ? "" : " (waited " + waited.toSeconds() + " s)"));
            this.holder = holder;
        }

        /** Who holds the lock, as written in the lock file. */
        public String holder() {
            return holder;
        }
    }

    /**
     * Takes the lock of {@code folder} (created when absent), waiting up to {@code wait} for another holder
     * to let go.
     *
     * @param who what holds the lock, e.g. {@code run radiomics (folder file:/w/radiomics)}
     * @throws HeldException when the lock is still held after {@code wait}
     */
    public static FolderLock acquire(Storage storage, URI folder, String who, Duration wait) throws IOException {
        storage.mkdirs(folder);
        Instant deadline = Instant.now().plus(wait);
        String me = who + ", process " + ProcessHandle.current().pid() + " on " + host() + ", since " + Instant.now();
        long pause = 50;
        while (true) {
            FolderLock l = "file".equals(folder.getScheme()) ? tryLocal(Path.of(folder), me) : tryRemote(storage, folder, me);
            if (l != null) {
                return l;
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new HeldException(folder, holder(storage, folder), wait);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HeldException(folder, holder(storage, folder), wait);
            }
            pause = Math.min(pause * 2, 1000);
        }
    }

    private static FolderLock tryLocal(Path folder, String me) throws IOException {
        Path file = folder.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by another run in this same JVM
        }
        if (l == null) {
            ch.close();
            return null;
        }
        // A holder removes the file before it lets go, so the file locked here may no longer be the one at the
        // path. Only the holder of a file's lock writes to it: if the path shows what was just written, it is ours.
        String mark = me + " [" + java.util.UUID.randomUUID() + "]\n";
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(mark.getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            l.release();
            ch.close();
            throw e;
        }
        String atPath;
        try {
            atPath = Files.readString(file);
        } catch (IOException e) {
            atPath = null;
        }
        if (!mark.equals(atPath)) {
            l.release();
            ch.close();
            return null;
        }
        return new FolderLock(ch, l, null, null, file);
    }

    private static FolderLock tryRemote(Storage storage, URI folder, String me) throws IOException {
        FileSystem fs = storage.fs(folder);
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(Storage.resolve(folder, FILE));
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write((me + "\n").getBytes(StandardCharsets.UTF_8));
            return new FolderLock(null, null, fs, file, null);
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            String holder = holder(storage, folder);
            if (deadHolderOfThisHost(holder)) {
                fs.delete(file, false);
            }
            return null;
        }
    }

    /** True when the lock file names a process of this host that no longer runs. */
    private static boolean deadHolderOfThisHost(String holder) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process (\\d+) on (\\S+),").matcher(holder);
        if (!m.find() || !m.group(2).equals(host())) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
    }

    private static String holder(Storage storage, URI folder) {
        try {
            String s = storage.readString(Storage.resolve(folder, FILE)).trim();
            return s.isEmpty() ? "another run (the lock file " + Storage.resolve(folder, FILE) + " names none)" : s;
        } catch (IOException e) {
            return "another run";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Removes the lock file, then lets go: a finished run leaves nothing behind in the folder. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                Files.deleteIfExists(localFile);
                lock.release();
            } finally {
                channel.close();
            }
        } else {
            remoteFs.delete(remoteFile, false);
        }
    }
}
