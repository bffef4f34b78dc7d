package org.cohortflow.dsl.plan;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The jobs of a run and what each one reads: the plan executors consume. Stages are in dependency order
 * (every job's dependencies are in earlier stages).
 */
public record JobGraph(String network, List<Stage> stages, List<SinkPlan> sinks) {

    public JobGraph {
        stages = List.copyOf(stages);
        sinks = List.copyOf(sinks);
    }

    public Optional<Stage> stage(String node) {
        return stages.stream().filter(s -> s.node().equals(node)).findFirst();
    }

    public Optional<Job> job(JobId id) {
        return stage(id.node()).flatMap(s -> s.jobs().stream().filter(j -> j.id().equals(id)).findFirst());
    }

    /** Number of jobs that can run (not missing, not in deferred stages). */
    public long runnableJobs() {
        return stages.stream().flatMap(s -> s.jobs().stream()).filter(j -> j.missing().isEmpty()).count();
    }

    /** A human-readable listing: per stage its dimensions and jobs with their inputs. */
    public String describe() {
        StringBuilder sb = new StringBuilder("network ").append(network).append(": ")
                .append(stages.stream().mapToInt(s -> s.jobs().size()).sum()).append(" jobs in ")
                .append(stages.size()).append(" stages\n");
        for (Stage s : stages) {
            sb.append("stage ").append(s.node()).append(" (").append(s.tool()).append(")");
            if (s.deferred().isPresent()) {
                sb.append(" deferred: ").append(s.deferred().get()).append('\n');
                continue;
            }
            sb.append(" dimensions ").append(s.dimensions()).append('\n');
            for (Job j : s.jobs()) {
                sb.append("  ").append(j.id().sample()).append(':');
                j.inputs().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
                j.missing().ifPresent(m -> sb.append("  MISSING: ").append(m));
                sb.append('\n');
            }
        }
        for (SinkPlan s : sinks) {
            sb.append("sink ").append(s.sink()).append(" -> ").append(s.url());
            s.deferred().ifPresent(d -> sb.append(" deferred: ").append(d));
            sb.append('\n');
            for (SinkPlan.Item i : s.items()) {
                sb.append("  ").append(i.sample()).append(": ").append(i.values());
                i.missing().ifPresent(m -> sb.append("  MISSING: ").append(m));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The job graph in Graphviz DOT: one cluster per stage, one box per job, edges for data. */
    public String toDot() {
        StringBuilder sb = new StringBuilder("digraph \"").append(escape(network)).append("\" {\n")
                .append("  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
        int i = 0;
        for (Stage s : stages) {
            sb.append("  subgraph \"cluster_").append(i++).append("\" {\n    label=\"").append(escape(s.node()))
                    .append(" (").append(escape(s.tool().toString())).append(")\";\n");
            for (Job j : s.jobs()) {
                sb.append("    \"").append(escape(j.id().toString())).append("\" [label=\"")
                        .append(escape(j.id().sample().toString())).append("\"")
                        .append(j.missing().isPresent() ? ", style=dashed, color=red" : "").append("];\n");
            }
            sb.append("  }\n");
        }
        for (Stage s : stages) {
            for (Job j : s.jobs()) {
                for (JobId d : j.dependencies()) {
                    sb.append("  \"").append(escape(d.toString())).append("\" -> \"")
                            .append(escape(j.id().toString())).append("\";\n");
                }
            }
        }
        for (SinkPlan s : sinks) {
            String sinkNode = "sink:" + s.sink();
            sb.append("  \"").append(escape(sinkNode)).append("\" [shape=folder];\n");
            String edges = s.items().stream().flatMap(it -> it.values().stream()).map(ValueRef::producer)
                    .filter(p -> p != null).distinct()
                    .map(p -> "  \"" + escape(p.toString()) + "\" -> \"" + escape(sinkNode) + "\";\n")
                    .collect(Collectors.joining());
            sb.append(edges);
        }
        return sb.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
