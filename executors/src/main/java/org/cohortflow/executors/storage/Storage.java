package org.cohortflow.executors.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.cohortflow.dsl.io.RemoteData;
import org.cohortflow.dsl.types.FileType;

/**
 * Files of a run, wherever they live, through the Hadoop {@link FileSystem} API ({@code file://} and
 * {@code hdfs://} with what cohortflow ships; other Hadoop file systems when their connector is on the class
 * path). Writes that others may observe go to a hidden temporary sibling first and are renamed into place. On
 * a local disk and on HDFS a rename is atomic, so a killed process leaves either the old file, no file, or the
 * complete new one (plus, at worst, a hidden temporary that the next write of the same target removes). Object
 * stores do not rename: S3A, for one, copies and deletes, so there a reader can see a partly copied folder and
 * a killed copy leaves part of one; only the temporary-then-final naming holds, not the atomicity.
 */
public final class Storage {
    /** Prefix of temporary siblings; names starting with '.' are hidden from listings and globs. */
    static final String TEMP_PREFIX = ".cohortflow-tmp-";

    private final Configuration conf;
    private final FileSystem local;
    /** Non-file-system schemes (e.g. dicomweb:// archives) contributed through {@link RemoteData}. */
    private final Map<String, RemoteData> remote = RemoteData.byScheme(Storage.class.getClassLoader());

    /** Storage with Hadoop's defaults plus {@code settings} (e.g. {@code fs.defaultFS}). */
    public Storage(Map<String, String> settings) {
        this.conf = configuration(settings);
        try {
            this.local = FileSystem.newInstance(URI.create("file:///"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local file system", e);
        }
    }

    /**
     * A Hadoop configuration from explicit settings. Local files use the raw local file system, because the
     * checksummed one writes {@code .crc} files beside every output, which would litter sink folders.
     */
    public static Configuration configuration(Map<String, String> settings) {
        Configuration c = new Configuration();
        c.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        // Hadoop caches file systems per scheme for the whole JVM regardless of settings: a cached raw local
        // file system would then be handed to code (Spark, HDFS) that expects the checksummed one.
        c.set("fs.file.impl.disable.cache", "true");
        settings.forEach(c::set);
        return c;
    }

    public Configuration conf() {
        return conf;
    }

    /** Turns a plain local path or a URI string into an absolute URI ({@code /data/x} -> {@code file:/data/x}). */
    public static URI toUri(String pathOrUri) {
        if (pathOrUri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !pathOrUri.matches("^[A-Za-z]:[\\\\/].*")) {
            return URI.create(pathOrUri);
        }
        return java.nio.file.Path.of(pathOrUri).toAbsolutePath().normalize().toUri();
    }

    /** {@code base} with {@code segments} appended as path elements. */
    public static URI resolve(URI base, String... segments) {
        Path p = path(base);
        for (String s : segments) {
            p = new Path(p, s);
        }
        return p.toUri();
    }

    /**
     * Where the data of a value is: the URI without its query. A query narrows what a value means inside
     * its file or folder (a DICOM series' {@code ?series=UID}); it is part of the value, not of its location.
     */
    public static URI withoutQuery(URI uri) {
        if (uri.getRawQuery() == null && uri.getRawFragment() == null) {
            return uri;
        }
        return URI.create(uri.getScheme() + ":" + uri.getRawSchemeSpecificPart().replaceFirst("\\?.*$", ""));
    }

    private static java.nio.file.Path localPath(URI uri) {
        return java.nio.file.Path.of(withoutQuery(uri));
    }

    /** A Hadoop path; without a trailing slash, which {@code Path.toUri()} adds to folders, the name would be empty. */
    private static Path path(URI uri) {
        uri = withoutQuery(uri);
        String s = uri.toString();
        return new Path(s.length() > 1 && s.endsWith("/") && !s.endsWith(":/") && !s.endsWith("//")
                ? URI.create(s.substring(0, s.length() - 1)) : uri);
    }

    public FileSystem fs(URI uri) {
        if ("file".equals(uri.getScheme())) {
            return local;
        }
        try {
            return FileSystem.get(uri, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + uri, e);
        }
    }

    public boolean exists(URI uri) throws IOException {
        if (remote(uri) != null) {
            return remote(uri).exists(uri, conf::get);
        }
        if (isLocal(uri)) {
            return Files.exists(localPath(uri));
        }
        return fs(uri).exists(path(uri));
    }

    public boolean isDirectory(URI uri) throws IOException {
        if (remote(uri) != null) {
            return remote(uri).isDirectory(uri, conf::get);
        }
        return fs(uri).getFileStatus(path(uri)).isDirectory();
    }

    /** Size in bytes of a file, or -1 when it does not exist. */
    public long length(URI uri) throws IOException {
        if (isLocal(uri)) {
            java.nio.file.Path p = localPath(uri);
            return Files.isRegularFile(p) ? Files.size(p) : Files.exists(p) ? 0 : -1;
        }
        try {
            return fs(uri).getFileStatus(path(uri)).getLen();
        } catch (FileNotFoundException e) {
            return -1;
        }
    }

    public byte[] read(URI uri) throws IOException {
        if (isLocal(uri)) {
            return Files.readAllBytes(localPath(uri));
        }
        try (InputStream in = fs(uri).open(path(uri))) {
            return in.readAllBytes();
        }
    }

    public String readString(URI uri) throws IOException {
        return new String(read(uri), StandardCharsets.UTF_8);
    }

    public void mkdirs(URI uri) throws IOException {
        if (isLocal(uri)) {
            Files.createDirectories(localPath(uri));
            return;
        }
        fs(uri).mkdirs(path(uri));
    }

    /** Deletes a file or folder tree; no error when it does not exist. */
    public void delete(URI uri) throws IOException {
        if (isLocal(uri)) {
            java.nio.file.Path p = localPath(uri);
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (java.util.stream.Stream<java.nio.file.Path> s = Files.walk(p)) {
                    for (java.nio.file.Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(x);
                    }
                }
            }
            return;
        }
        fs(uri).delete(path(uri), true);
    }

    /** Sorted URIs of the non-hidden entries matching a glob; empty when nothing matches. */
    public List<URI> glob(URI pattern) throws IOException {
        FileStatus[] found = fs(pattern).globStatus(path(pattern));
        if (found == null) {
            return List.of();
        }
        return Arrays.stream(found).map(s -> s.getPath().toUri())
                .filter(u -> !new Path(u).getName().startsWith("."))
                .sorted().toList();
    }

    /** Writes {@code content} to {@code target} atomically (temporary sibling + rename). */
    public void writeAtomically(URI target, byte[] content) throws IOException {
        if (isLocal(target)) {
            java.nio.file.Path dst = java.nio.file.Path.of(target);
            java.nio.file.Path tmp = localTemporarySibling(dst);
            Files.write(tmp, content);
            localCommit(tmp, dst);
            return;
        }
        FileSystem fs = fs(target);
        Path dst = path(target);
        Path tmp = temporarySibling(fs, dst);
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            // No fsync: rename is atomic for other processes (and a killed one); fsync only guards against
            // power loss and costs milliseconds per job record.
            out.write(content);
        }
        commit(fs, tmp, dst);
    }

    /** Copies a file or folder to {@code target} atomically (temporary sibling + rename). */
    public void copyAtomically(URI source, URI target) throws IOException {
        if (isLocal(source) && isLocal(target) && Files.isRegularFile(java.nio.file.Path.of(source))) {
            java.nio.file.Path dst = java.nio.file.Path.of(target);
            java.nio.file.Path tmp = localTemporarySibling(dst);
            Files.copy(java.nio.file.Path.of(source), tmp, StandardCopyOption.REPLACE_EXISTING);
            localCommit(tmp, dst);
            return;
        }
        FileSystem dstFs = fs(target);
        Path dst = path(target);
        Path tmp = temporarySibling(dstFs, dst);
        if (!FileUtil.copy(fs(source), path(source), dstFs, tmp, false, true, conf)) {
            throw new IOException("cannot copy " + source + " to " + tmp);
        }
        commit(dstFs, tmp, dst);
    }

    /**
     * The local path of {@code target} when it is on this machine's file system ({@code file:}), so that a writer can
     * put a file there directly instead of writing it elsewhere and {@link #upload}ing it (not atomic: for use inside a
     * job's own folder, which nobody reads before its record is written).
     */
    public java.util.Optional<java.nio.file.Path> localFile(URI target) {
        return isLocal(target) ? java.util.Optional.of(localPath(target)) : java.util.Optional.empty();
    }

    /** Copies a local file or folder to {@code target} (not atomic; used inside a job's own folder). */
    public void upload(java.nio.file.Path local, URI target) throws IOException {
        if (isLocal(target) && Files.isRegularFile(local)) {
            java.nio.file.Path dst = java.nio.file.Path.of(target);
            Files.createDirectories(dst.getParent());
            Files.copy(local, dst, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        // FileSystem.copyFromLocalFile insists on the checksummed local file system; FileUtil does not.
        if (!FileUtil.copy(local.toFile(), fs(target), path(target), false, conf)) {
            throw new IOException("cannot copy " + local + " to " + target);
        }
    }

    /**
     * The local path of a file or folder: itself for {@code file:} URIs, else a copy made in
     * {@code localDir}, keeping the name so that extensions stay visible to tools.
     */
    public java.nio.file.Path localise(URI uri, java.nio.file.Path localDir) throws IOException {
        return localise(uri, localDir, FileType.Members.ALL);
    }

    /**
     * {@link #localise(URI, java.nio.file.Path)}; for a remote folder whose URI has a query, copies only the
     * files {@code members} accepts (a series out of a folder of many), in their relative places. A local
     * folder is used in place, whole: the tool applies the query itself.
     */
    public java.nio.file.Path localise(URI uri, java.nio.file.Path localDir, FileType.Members members) throws IOException {
        if (remote(uri) != null) {
            return remote(uri).localise(uri, localDir, conf::get);
        }
        if ("file".equals(uri.getScheme())) {
            return localPath(uri);
        }
        Files.createDirectories(localDir);
        java.nio.file.Path local = localDir.resolve(path(uri).getName());
        List<String> selected = selects(uri, members) ? memberFiles(uri, members) : null;
        if (selected == null) {
            if (!FileUtil.copy(fs(uri), path(uri), local.toFile(), false, conf)) {
                throw new IOException("cannot copy " + uri + " to " + local);
            }
            return local;
        }
        Files.createDirectories(local);
        FileSystem fs = fs(uri);
        for (String rel : selected) {
            java.nio.file.Path target = local.resolve(rel);
            Files.createDirectories(target.getParent());
            if (!FileUtil.copy(fs, new Path(path(uri), rel), target.toFile(), false, conf)) {
                throw new IOException("cannot copy " + rel + " of " + uri + " to " + target);
            }
        }
        return local;
    }

    /**
     * SHA-256 of a file's bytes, or of a folder's files (relative path and bytes, in sorted order): the
     * same value as {@link FileType#contentHash} gives for local data.
     */
    public String contentHash(URI uri) throws IOException {
        return contentHash(uri, FileType.Members.ALL);
    }

    /**
     * {@link #contentHash(URI)}; for a remote folder whose URI has a query, of the query and of only the files
     * {@code members} accepts, so that a series is hashed by its own files (not by reading the whole folder
     * over the network) and a change to another series in the same folder does not rerun its jobs.
     */
    public String contentHash(URI uri, FileType.Members members) throws IOException {
        if (remote(uri) != null) {
            return remote(uri).contentHash(uri, conf::get);
        }
        if (uri.getRawQuery() != null) {
            URI base = withoutQuery(uri);
            String files = selects(uri, members) ? hashOf(base, memberFiles(uri, members)) : contentHash(base, FileType.Members.ALL);
            // Two series in one folder share the folder's bytes; the query tells them apart.
            return sha256((files + "?" + uri.getRawQuery()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if ("file".equals(uri.getScheme())) {
            return FileType.contentHash(localPath(uri));
        }
        FileSystem fs = fs(uri);
        Path root = path(uri);
        FileStatus st = fs.getFileStatus(root);
        if (st.isDirectory()) {
            List<String> rel = new ArrayList<>();
            collect(fs, root, "", rel);
            return hashOf(uri, rel);
        }
        MessageDigest md = sha256();
        digest(fs, root, md);
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * What a file's or folder's metadata says of its content: path, size and modification time of the file, or of
     * every file below the folder (relative path, size, modification time), hashed; the query is part of it. Two
     * equal stamps mean nothing was written there since (as Make and Nextflow's default cache assume), so a hash
     * taken at that stamp still holds. Null where no such metadata is (remote data services).
     */
    public String stamp(URI uri) throws IOException {
        if (remote(uri) != null) {
            return null;
        }
        MessageDigest md = sha256();
        md.update((uri + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (isLocal(uri)) {
            java.nio.file.Path root = localPath(uri);
            if (Files.isDirectory(root)) {
                // One stat per file (a series has hundreds): the walk hands each file's attributes over.
                java.util.TreeMap<java.nio.file.Path, java.nio.file.attribute.BasicFileAttributes> files = new java.util.TreeMap<>();
                Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(java.nio.file.Path f,
                                                                   java.nio.file.attribute.BasicFileAttributes a) {
                        if (a.isRegularFile()) {
                            files.put(f, a);
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
                files.forEach((f, a) -> stampOf(root.relativize(f).toString(), a.size(),
                        a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), md));
            } else {
                stampOf("", Files.size(root), Files.getLastModifiedTime(root).to(java.util.concurrent.TimeUnit.NANOSECONDS), md);
            }
        } else {
            FileSystem fs = fs(uri);
            Path root = path(uri);
            String prefix = fs.makeQualified(root).toUri().getPath();
            org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(root, true);
            java.util.TreeMap<String, long[]> files = new java.util.TreeMap<>();
            while (it.hasNext()) {
                org.apache.hadoop.fs.LocatedFileStatus st = it.next();
                String rel = st.getPath().toUri().getPath();
                files.put(rel.startsWith(prefix) ? rel.substring(prefix.length()) : rel,
                        new long[] {st.getLen(), st.getModificationTime()});
            }
            files.forEach((rel, v) -> stampOf(rel, v[0], v[1], md));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void stampOf(String rel, long size, long modified, MessageDigest md) {
        md.update((rel + "\0" + size + "\0" + modified + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Whether only some files of the remote folder at {@code uri} make up its value. Local folders count
     * whole: they are used in place, and telling members apart (a header read per file) made runs on the
     * usual one-series-per-folder layout about 10 % slower for no gain there.
     */
    private boolean selects(URI uri, FileType.Members members) throws IOException {
        return members != FileType.Members.ALL && uri.getRawQuery() != null && !isLocal(uri) && isDirectory(uri);
    }

    /** The relative paths, sorted, of the files below the folder of {@code uri} that {@code members} accepts. */
    private List<String> memberFiles(URI uri, FileType.Members members) throws IOException {
        FileSystem fs = fs(uri);
        Path root = path(uri);
        List<String> all = new ArrayList<>();
        collect(fs, root, "", all);
        List<String> in = new ArrayList<>();
        for (String rel : all) {
            Path p = new Path(root, rel);
            // Remote only (see selects): positioned reads, so a header check fetches just the header.
            try (SeekableByteChannel ch = new PositionedReadChannel(fs.open(p), fs.getFileStatus(p).getLen())) {
                if (members.belongs(uri.getRawQuery(), fs.makeQualified(p).toUri(), ch)) in.add(rel);
            }
        }
        return in;
    }

    /** SHA-256 over the relative paths and bytes of {@code rel} (sorted) below the folder of {@code uri}. */
    private String hashOf(URI uri, List<String> rel) throws IOException {
        FileSystem fs = fs(uri);
        Path root = path(uri);
        List<String> sorted = new ArrayList<>(rel);
        sorted.sort(null);
        MessageDigest md = sha256();
        for (String r : sorted) {
            md.update(r.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            digest(fs, new Path(root, r), md);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void collect(FileSystem fs, Path dir, String prefix, List<String> out) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            String rel = prefix + s.getPath().getName();
            if (s.isDirectory()) {
                collect(fs, s.getPath(), rel + "/", out);
            } else {
                out.add(rel);
            }
        }
    }

    private static void digest(FileSystem fs, Path p, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(p)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }

    /** SHA-256 of bytes, in hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /**
     * Cuts a text file back to its last complete line: what a writer killed in the middle of a line (or
     * stopped by a full disk) left behind. Nothing happens when the file is absent or ends with a newline.
     * File systems that cannot truncate (object stores) get a newline instead, which ends the cut-off line.
     */
    public void dropPartialLastLine(URI file) throws IOException {
        if (isLocal(file)) {
            java.nio.file.Path p = localPath(file);
            if (!Files.isRegularFile(p)) {
                return;
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                long end = ch.size();
                long keep = end;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                while (keep > 0) {
                    b.clear();
                    ch.read(b, keep - 1);
                    if (b.get(0) == '\n') {
                        break;
                    }
                    keep--;
                }
                if (keep < end) {
                    ch.truncate(keep);
                }
            }
            return;
        }
        FileSystem fs = fs(file);
        Path p = path(file);
        if (!fs.exists(p)) {
            return;
        }
        long len = fs.getFileStatus(p).getLen();
        if (len == 0) {
            return;
        }
        byte[] tail = new byte[(int) Math.min(len, 1 << 16)];
        try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(p)) {
            in.readFully(len - tail.length, tail);
        }
        if (tail[tail.length - 1] == '\n') {
            return;
        }
        int i = tail.length - 1;
        while (i >= 0 && tail[i] != '\n') {
            i--;
        }
        long keep = len - tail.length + i + 1;
        try {
            if (!fs.truncate(p, keep)) {
                // HDFS finishes a truncate in the background; appends wait until it is done.
                for (int n = 0; n < 100 && fs.getFileStatus(p).getLen() != keep; n++) {
                    Thread.sleep(50);
                }
            }
        } catch (UnsupportedOperationException e) {
            try (OutputStream out = append(file)) {
                out.write('\n');
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens a stream that appends to {@code target}, creating it when absent. */
    public OutputStream append(URI target) throws IOException {
        if (isLocal(target)) {
            return Files.newOutputStream(java.nio.file.Path.of(target), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        FileSystem fs = fs(target);
        Path p = path(target);
        if (fs.exists(p)) {
            try {
                return fs.append(p);
            } catch (UnsupportedOperationException e) {
                // Object stores cannot append: start a numbered continuation instead of losing the old lines.
                return fs.create(new Path(p.getParent(), p.getName() + "." + System.currentTimeMillis()), false);
            }
        }
        return fs.create(p, false);
    }

    /** The {@link RemoteData} serving {@code uri}'s scheme, or null for file systems. */
    private RemoteData remote(URI uri) {
        return uri.getScheme() == null ? null : remote.get(uri.getScheme().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Local files take the {@code java.nio} path: Hadoop's local file system, without its native library,
     * starts a {@code chmod} process for every file it creates, which costs milliseconds per job.
     */
    private static boolean isLocal(URI uri) {
        return "file".equals(uri.getScheme());
    }

    private java.nio.file.Path localTemporarySibling(java.nio.file.Path dst) throws IOException {
        java.nio.file.Path parent = dst.getParent();
        Files.createDirectories(parent);
        String stale = TEMP_PREFIX + dst.getFileName() + ".";
        // Not a glob: a name may hold glob characters ('?', '[', '*'), which would match other targets' temporaries.
        try (DirectoryStream<java.nio.file.Path> old = Files.newDirectoryStream(parent,
                p -> p.getFileName().toString().startsWith(stale))) {
            for (java.nio.file.Path p : old) {
                if (abandoned(p.getFileName().toString().substring(stale.length()))) {
                    delete(p.toUri());
                }
            }
        }
        return parent.resolve(stale + temporaryTag());
    }

    /**
     * The tail of a temporary name: the writing process and a random part. Two writers never share a
     * temporary, and a writer removes only temporaries of processes that are gone, never another live
     * writer's (which made concurrent writers fail with {@code NoSuchFileException}).
     */
    private static String temporaryTag() {
        return ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    }

    /** Whether the temporary with this tail was left by a process of this machine that no longer runs. */
    private static boolean abandoned(String tag) {
        // Only a tail that is all tag is this target's: "prov.json.PID-UUID" belongs to the target's provenance.
        java.util.regex.Matcher m = TEMPORARY_TAG.matcher(tag);
        if (!m.matches()) {
            return false;
        }
        if (m.group(1) == null) {
            return true; // an older cohortflow's temporary (random name only): no writer left to own it
        }
        return ProcessHandle.of(Long.parseLong(m.group(1))).map(ph -> !ph.isAlive()).orElse(true);
    }

    private static final java.util.regex.Pattern TEMPORARY_TAG =
            java.util.regex.Pattern.compile("(?:(\\d+)-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private void localCommit(java.nio.file.Path tmp, java.nio.file.Path dst) throws IOException {
        if (Files.isDirectory(dst)) {
            delete(dst.toUri());
        }
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path temporarySibling(FileSystem fs, Path dst) throws IOException {
        Path parent = dst.getParent();
        fs.mkdirs(parent);
        String stale = TEMP_PREFIX + dst.getName() + ".";
        FileStatus[] old = fs.listStatus(parent, p -> p.getName().startsWith(stale)
                && TEMPORARY_TAG.matcher(p.getName().substring(stale.length())).matches());
        long day = 24L * 3600 * 1000;
        for (FileStatus s : old) {
            // Left by a killed writer of the same target; never complete, so never worth keeping. Writers on other
            // machines cannot be asked whether they live: their temporaries go once they are a day old.
            if (System.currentTimeMillis() - s.getModificationTime() > day) {
                fs.delete(s.getPath(), true);
            }
        }
        return new Path(parent, stale + temporaryTag());
    }

    private static void commit(FileSystem fs, Path tmp, Path dst) throws IOException {
        if (fs.exists(dst) && fs.getFileStatus(dst).isDirectory()) {
            // Renaming onto an existing folder would move the new one inside it.
            fs.delete(dst, true);
        }
        if (fs.rename(tmp, dst)) {
            return;
        }
        // HDFS (unlike POSIX) refuses to rename onto an existing file. Readers then see the old file, no
        // file, or the new file, never a partial one.
        if (fs.exists(dst)) {
            fs.delete(dst, true);
            if (fs.rename(tmp, dst)) {
                return;
            }
        }
        fs.delete(tmp, true);
        throw new IOException("cannot rename " + tmp + " to " + dst);
    }
}
