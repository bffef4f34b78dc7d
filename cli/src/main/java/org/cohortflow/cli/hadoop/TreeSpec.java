package org.cohortflow.cli.hadoop;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.imaging.index.FileTree;

/**
 * Where a DICOM tree is and with which Hadoop settings to read it: small and serialisable, so that Spark
 * executors can open the same tree the driver listed.
 *
 * @param root       the tree's root, an absolute URI
 * @param hadoopConf Hadoop settings (e.g. {@code fs.defaultFS}); empty for the defaults
 */
public record TreeSpec(URI root, Map<String, String> hadoopConf) implements Serializable {
    private static final long serialVersionUID = 1L;

    public TreeSpec {
        hadoopConf = Map.copyOf(hadoopConf);
    }

    /** A root given as a local path or a URI. */
    public static TreeSpec of(String pathOrUri, Map<String, String> hadoopConf) {
        return new TreeSpec(Storage.toUri(pathOrUri), hadoopConf);
    }

    /** Local paths are walked directly; anything with another scheme (or with Hadoop settings) goes through Hadoop. */
    public FileTree open() throws IOException {
        if ("file".equals(root.getScheme()) && hadoopConf.isEmpty()) return FileTree.local(Path.of(root));
        return new HadoopFileTree(root, Storage.configuration(hadoopConf));
    }
}
