package org.cohortflow.cli.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.cohortflow.executors.storage.PositionedReadChannel;
import org.cohortflow.imaging.index.FileTree;

/**
 * A {@link FileTree} on any Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}, ...), so
 * cohort discovery can index a DICOM tree where the cluster keeps it.
 *
 * <p>Files are read with positioned reads ({@code pread}): the header walk asks for small windows at the
 * offsets it needs and the file system transfers just those ranges, so indexing stops before the pixel data
 * on remote storage too. File lengths come from the listing, which saves a metadata call per file.
 */
public final class HadoopFileTree implements FileTree {
    private final FileSystem fs;
    private final Path root;
    private final Map<URI, Long> lengths = new ConcurrentHashMap<>();

    /** The tree at {@code root} (a folder or one file) with the Hadoop settings in {@code conf}. */
    public HadoopFileTree(URI root, Configuration conf) throws IOException {
        this.fs = FileSystem.get(root, conf);
        this.root = fs.makeQualified(new Path(root));
    }

    @Override
    public URI root() {
        return root.toUri();
    }

    @Override
    public List<URI> files(BiConsumer<URI, String> unreadable) throws IOException {
        FileStatus top;
        try {
            top = fs.getFileStatus(root);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("no such file or folder");
        }
        List<URI> files = new ArrayList<>();
        Deque<FileStatus> folders = new ArrayDeque<>();
        if (top.isDirectory()) folders.push(top);
        else add(top, files);
        while (!folders.isEmpty()) {
            FileStatus folder = folders.pop();
            try {
                RemoteIterator<FileStatus> it = fs.listStatusIterator(folder.getPath());
                while (it.hasNext()) {
                    FileStatus s = it.next();
                    if (s.isDirectory()) folders.push(s);
                    else if (s.isFile()) add(s, files);
                }
            } catch (IOException e) {
                // One folder we may not list (permissions, a vanished folder) must not hide the rest of the cohort.
                unreadable.accept(folder.getPath().toUri(), "cannot list folder: " + e.getMessage());
            }
        }
        files.sort(null);
        return files;
    }

    private void add(FileStatus s, List<URI> files) {
        URI uri = s.getPath().toUri();
        lengths.put(uri, s.getLen());
        files.add(uri);
    }

    @Override
    public SeekableByteChannel open(URI file) throws IOException {
        Path p = new Path(file);
        Long length = lengths.get(file);
        long size = length != null ? length : fs.getFileStatus(p).getLen();
        return new PositionedReadChannel(fs.open(p), size);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
