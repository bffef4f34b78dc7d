package org.cohortflow.cli;

import java.nio.file.Path;
import java.util.List;
import org.cohortflow.biomarkers.table.FeatureTable;

/**
 * What {@code cohortflow demo} measured, for its console summary and its HTML report.
 *
 * @param network     the network id
 * @param executor    {@code spark MASTER} or {@code local}
 * @param folder      the demo's folder (cohort, work, results, report)
 * @param subjects    per synthetic subject, in cohort order
 * @param stages      per stage, in run order: cohort synthesis, executor start, then one per network node
 * @param runSeconds  the network run, from the run report's start to end
 * @param features    the cohort feature table (empty when the cohort job did not succeed)
 * @param outputs     the sink outputs written, relative to {@code folder}
 * @param exitCode    the run's exit code (0 when every job and sink succeeded)
 */
record DemoResult(String network, String executor, Path folder, List<Subject> subjects, List<Stage> stages,
                  double runSeconds, FeatureTable features, List<String> outputs, int exitCode) {

    DemoResult {
        subjects = List.copyOf(subjects);
        stages = List.copyOf(stages);
        outputs = List.copyOf(outputs);
    }

    /**
     * One subject.
     *
     * @param status          {@code ok}, {@code failed} or {@code missing} (of its feature job)
     * @param error           why it is not ok, else null
     * @param analyticVolume  the lesion's volume as drawn, mm3
     * @param meshVolume      the IBSI mesh volume (RNU0) measured by the run, mm3; NaN when not measured
     * @param jobSeconds      the compute time of the subject's jobs
     */
    record Subject(String id, String shape, String status, String error, double analyticVolume, double meshVolume,
                   int definedFeatures, double jobSeconds) {

        /** (mesh - analytic) / analytic. */
        double volumeError() {
            return (meshVolume - analyticVolume) / analyticVolume;
        }
    }

    /**
     * One stage of the demo.
     *
     * @param jobs        jobs run (0 for stages that are not network nodes)
     * @param cached      of which reused from an earlier run
     * @param jobSeconds  sum of the jobs' compute times (for non-node stages: the stage's duration)
     * @param wallSeconds from the first job's start to the last job's end
     */
    record Stage(String name, int jobs, int cached, double jobSeconds, double wallSeconds) {}

    long okSubjects() {
        return subjects.stream().filter(s -> s.status().equals("ok")).count();
    }
}
