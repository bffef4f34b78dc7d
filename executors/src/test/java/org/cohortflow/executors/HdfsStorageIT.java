package org.cohortflow.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.network.NetworkYaml;
import org.cohortflow.dsl.network.Sink;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.executors.local.LocalExecutor;
import org.cohortflow.executors.report.RunReport;
import org.cohortflow.dsl.types.FileType;
import org.cohortflow.executors.storage.Storage;
import org.cohortflow.executors.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources read from, jobs stored in and sinks written to a real (in-process) HDFS. */
class HdfsStorageIT {
    @TempDir
    Path dir;

    @Test
    void sourcesWorkFolderAndSinksCanAllLiveOnHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            URI root = cluster.getFileSystem().getUri();
            FileSystem fs = cluster.getFileSystem();
            for (int i = 0; i < 3; i++) {
                try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/in/doc" + i + ".txt"))) {
                    out.write("x\n".repeat(i + 2).getBytes(StandardCharsets.UTF_8));
                }
            }
            NetworkYaml.Loaded loaded = NetworkYaml.read(Fixtures.exampleNetwork("count-lines.yaml"));
            Network n = loaded.network();
            Network onHdfs = new Network(n.id(), n.description(), n.sources(), n.constants(), n.nodes(),
                    n.sinks().stream().map(s -> new Sink(s.id(), s.type(), s.from(),
                            root + "/out/" + s.id() + "/" + s.url().substring(s.url().lastIndexOf('/') + 1))).toList());
            Storage storage = new Storage(java.util.Map.of());
            SourceData data = new SourceBinding(onHdfs, Fixtures.tools().registry().types(), storage)
                    .bind(java.util.List.of(SourceBinding.SourceArgument.parse("texts=" + root + "/in/*.txt")),
                            java.util.Optional.empty());

            RunReport r;
            try (LocalExecutor local = new LocalExecutor(2)) {
                r = local.run(RunSpec.of(onHdfs, loaded.locator(), Fixtures.tools(), data, URI.create(root + "/work")));
            }

            assertEquals(0, r.exitCode(), r.summary());
            assertEquals("3\n", storage.readString(URI.create(root + "/out/lines/doc1.txt")));
            assertEquals("9.0\n", storage.readString(URI.create(root + "/out/total/total.txt")));
            assertTrue(storage.readString(URI.create(root + "/out/total/total.txt.prov.json")).contains("wc -l"));
            assertTrue(storage.exists(URI.create(root + "/work/count-lines/count/doc1/job.json")));
            assertTrue(storage.exists(URI.create(root + "/work/count-lines/events.jsonl")));
            assertEquals(0, fs.globStatus(new org.apache.hadoop.fs.Path("/out/*/.cohortflow-tmp-*")).length);
        } catch (IOException e) {
            throw e;
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    void aSeriesOutOfAFolderOfManyIsStagedFromHdfsWithOnlyItsOwnFiles() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs-members").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            FileSystem fs = cluster.getFileSystem();
            for (String[] f : new String[][] {{"1.dcm", "a-one"}, {"2.dcm", "b-two"}, {"sub/3.dcm", "a-three"}}) {
                try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/flat/" + f[0]))) {
                    out.write(f[1].getBytes(StandardCharsets.UTF_8));
                }
            }
            Storage storage = new Storage(java.util.Map.of());
            URI a = URI.create(fs.getUri() + "/flat?part=a");
            Path staged = storage.localise(a, dir.resolve("stage"), StorageTest.BY_FIRST_LETTER);
            assertEquals(java.util.Map.of("1.dcm", "a-one", "sub/3.dcm", "a-three"), Fixtures.files(staged));

            // Hashed by its own files: a change to another part leaves the hash, a change to its own does not.
            String before = storage.contentHash(a, StorageTest.BY_FIRST_LETTER);
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/flat/2.dcm"), true)) {
                out.write("b-changed".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(before, storage.contentHash(a, StorageTest.BY_FIRST_LETTER));
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/flat/1.dcm"), true)) {
                out.write("a-changed".getBytes(StandardCharsets.UTF_8));
            }
            org.junit.jupiter.api.Assertions.assertNotEquals(before, storage.contentHash(a, StorageTest.BY_FIRST_LETTER));
            org.junit.jupiter.api.Assertions.assertNotEquals(storage.contentHash(a, FileType.Members.ALL),
                    storage.contentHash(a, StorageTest.BY_FIRST_LETTER), "without a rule the whole folder counts");
        } finally {
            cluster.shutdown();
        }
    }
}
