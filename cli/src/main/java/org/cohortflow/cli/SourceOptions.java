package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.network.Network;
import org.cohortflow.dsl.plan.SourceData;
import org.cohortflow.dsl.types.TypeRegistry;
import org.cohortflow.executors.SourceBinding;
import org.cohortflow.executors.storage.Storage;
import picocli.CommandLine.Option;

/**
 * The options that bind data to a network's sources, {@code --source ID=SPEC} and {@code --samples}; the
 * binding itself is {@link SourceBinding}'s, so {@code plan} and {@code run} read data the same way.
 */
final class SourceOptions {

    @Option(names = "--source", paramLabel = "ID=SPEC",
            description = {"Data for source ID; repeatable. For a file type SPEC is a path or URI (hdfs://...) of one file or "
                                   + "folder, or a glob such as 'scans/*.nii.gz' (one sample per match); the sample id is the name "
                                   + "without the type's extension. For a value type SPEC is a comma-separated list of SAMPLE:VALUE or "
                                   + "VALUE (the value is then also the sample id)."})
    List<String> sources = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "SHEET.csv",
            description = {"A sample sheet: a header 'sample_id,SOURCE[,SOURCE...]' and one row per sample with each source's "
                                   + "value, URI or glob (relative paths are relative to the sheet); an empty cell means the sample has "
                                   + "no data for that source, and the jobs needing it are reported missing."})
    Path sheet;

    List<SourceBinding.SourceArgument> arguments() {
        return sources.stream().map(SourceBinding.SourceArgument::parse).toList();
    }

    Optional<Path> sheet() {
        return Optional.ofNullable(sheet);
    }

    /** The source data; errors name the option, the sheet line or the source. */
    SourceData bind(Network network, TypeRegistry types, Map<String, String> hadoopConf) {
        return new SourceBinding(network, types, new Storage(hadoopConf)).bind(arguments(), sheet());
    }
}
