package org.cohortflow.executors.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.dsl.plan.Job;
import org.cohortflow.dsl.plan.JobId;
import org.cohortflow.dsl.plan.SampleKey;
import org.cohortflow.executors.task.JobResult;

/**
 * Groups the jobs that can run now into tasks. With {@link Fusion#SAMPLE} (the default) every job of one sample
 * whose inputs are ready, or come only from jobs of the same sample that join the same task, runs in that
 * sample's one task: a whole per-sample network (image -&gt; mask -&gt; features, where features needs both,
 * and whatever follows from them) runs in memory in one place. A job that waits for another sample's job (a
 * collapse, a cross product) waits until that job's result is in, and then starts a task of its own sample.
 */
public final class TaskForming {

    /** How jobs are grouped into tasks. */
    public enum Fusion {
        /** Every job of a sample that needs only that sample's jobs joins the sample's task. */
        SAMPLE,
        /** One job per task, every value through storage: for comparison and debugging. */
        NONE
    }

    /** What task forming needs to know about the run, and tells it. */
    public interface Run {
        /** The job's result, when it has one. */
        Optional<JobResult> result(JobId id);

        /** The job cannot run: {@code why}; it gets a {@link JobResult.Status#MISSING} result. */
        void missing(Job job, String why);

        /**
         * For a job whose producers all ran: records which samples a {@code missing: skip} collapse leaves
         * out, and says why the job cannot run when an input is left with nothing.
         */
        Optional<String> leaveOut(Job job);
    }

    private final Fusion fusion;
    /** Per pending job, a producer it found unfinished last time: while that one is out, the job is not looked at again. */
    private final Map<JobId, JobId> blockedBy = new HashMap<>();

    public TaskForming(Fusion fusion) {
        this.fusion = fusion;
    }

    /**
     * The tasks that can start now, each a list of jobs in an order that runs producers first. {@code pending}
     * are the jobs without result and not dispatched, producers before consumers (the graph's stage order);
     * jobs this call puts into a task or finds missing are dispatched or recorded by the caller.
     */
    public List<List<Job>> form(Collection<Job> pending, Run run) {
        Map<JobId, List<Job>> taskOf = new HashMap<>();
        Map<SampleKey, List<Job>> bySample = new LinkedHashMap<>();
        List<List<Job>> tasks = new ArrayList<>();
        for (Job j : pending) {
            JobId blocker = blockedBy.get(j.id());
            if (blocker != null && run.result(blocker).isEmpty() && !taskOf.containsKey(blocker)) {
                continue;
            }
            blockedBy.remove(j.id());
            if (j.missing().isPresent()) {
                run.missing(j, j.missing().get());
                continue;
            }
            List<JobId> waiting = new ArrayList<>();
            Optional<JobResult> bad = Optional.empty();
            for (JobId d : j.dependencies()) {
                Optional<JobResult> r = run.result(d);
                if (r.isEmpty()) {
                    waiting.add(d);
                } else if (!r.get().succeeded() && !j.optional().contains(d) && bad.isEmpty()) {
                    bad = r;
                }
            }
            if (bad.isPresent()) {
                run.missing(j, "job " + bad.get().label() + (bad.get().status() == JobResult.Status.FAILED ? " failed" : " is missing"));
                continue;
            }
            if (waiting.isEmpty() && (!j.optional().isEmpty() || !j.leftOut().isEmpty())) {
                Optional<String> none = run.leaveOut(j);
                if (none.isPresent()) {
                    run.missing(j, none.get());
                    continue;
                }
            }
            SampleKey sample = j.id().sample();
            if (waiting.isEmpty()) {
                List<Job> t = fusion == Fusion.SAMPLE ? bySample.get(sample) : null;
                if (t == null) {
                    t = new ArrayList<>();
                    tasks.add(t);
                    if (fusion == Fusion.SAMPLE) {
                        bySample.put(sample, t);
                    }
                }
                t.add(j);
                taskOf.put(j.id(), t);
                continue;
            }
            // Fused into its sample's task when every producer still to run is in that task.
            List<Job> t = fusion == Fusion.SAMPLE ? bySample.get(sample) : null;
            JobId outside = null;
            for (JobId d : waiting) {
                if (t == null || taskOf.get(d) != t) {
                    outside = d;
                    break;
                }
            }
            if (outside == null) {
                t.add(j);
                taskOf.put(j.id(), t);
            } else {
                // Not before that producer's result is in: until then this job is not looked at again.
                blockedBy.put(j.id(), outside);
            }
        }
        return tasks;
    }
}
