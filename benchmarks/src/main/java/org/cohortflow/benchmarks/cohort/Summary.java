package org.cohortflow.benchmarks.cohort;

import java.util.Locale;

/** The benchmark's numbers as Markdown tables, for the console and benchmarks/README.md. */
final class Summary {
    private Summary() {}

    static String markdown(CohortBenchResult r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d subjects; tools alone %.2f s (%.0f ms per subject); load average %.1f -> %.1f%n%n",
                r.cohort().subjects(), r.tools().totalMs() / 1000, r.tools().totalMs() / r.cohort().subjects(),
                r.machine().loadAverageBefore(), r.machine().loadAverageAfter()));
        s.append("| run | cores | wall s | subjects/min | overhead share | speed-up vs 1 core | vs process per job | same table |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (CohortBenchResult.Run run : r.runs()) {
            String speedup = r.runs().stream().filter(o -> o.executor().equals(run.executor()) && o.cores() == 1)
                    .findFirst().map(o -> String.format(Locale.ROOT, "%.2fx", o.wallMs() / run.wallMs())).orElse("-");
            String ratio = r.baseline() == null ? "-"
                    : String.format(Locale.ROOT, "%.1fx", run.subjectsPerMinute() / r.baseline().subjectsPerMinute());
            s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.0f %% | %s | %s | %s |%n",
                    run.executor().equals("local") ? "local (thread pool)" : "spark " + run.master(), run.cores(),
                    run.wallMs() / 1000, run.subjectsPerMinute(), 100 * run.overheadShare(), speedup, ratio,
                    run.sameAsTools() ? "yes" : "no"));
        }
        if (r.baseline() != null) {
            CohortBenchResult.Baseline b = r.baseline();
            s.append(String.format(Locale.ROOT, "| process per job (%d JVMs, %d subjects) | %d | %.2f | %.1f | - | - | 1x | %s |%n",
                    b.processes(), b.subjects(), b.parallelism(), b.wallMs() / 1000, b.subjectsPerMinute(),
                    b.sameAsTools() ? "yes" : b.subjects() < r.cohort().subjects() ? "(part of the cohort)" : "no"));
        }
        s.append("\n| run | node | jobs | span s (events) | job time s (job.json) | tool alone s |\n|---|---|---:|---:|---:|---:|\n");
        for (CohortBenchResult.Run run : r.runs()) {
            for (CohortBenchResult.Stage st : run.stages()) {
                s.append(String.format(Locale.ROOT, "| %s %d | %s | %d | %.2f | %.2f | %s |%n", run.executor(), run.cores(),
                        st.node(), st.jobs(), st.spanMs() / 1000, st.jobMs() / 1000,
                        st.toolMs() == null ? "-" : String.format(Locale.ROOT, "%.2f", st.toolMs() / 1000)));
            }
        }
        r.runs().stream().filter(run -> run.startupMs() > 0).forEach(run -> s.append(String.format(Locale.ROOT,
                "%nSpark session start-up (%s): %.1f s", run.master(), run.startupMs() / 1000)));
        return s.toString();
    }
}
