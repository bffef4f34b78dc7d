package org.cohortflow.executors.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.cohortflow.executors.Executor;
import org.cohortflow.executors.process.ToolProcesses;
import org.cohortflow.executors.task.CorePool;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.JobStart;
import org.cohortflow.executors.task.TaskWorker;
import org.cohortflow.executors.task.Timeouts;
import org.cohortflow.executors.task.Work;
import org.cohortflow.executors.task.WorkerEnvironment;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs tasks on Apache Spark: the embedded {@code local[*]} master by default, or any cluster. Each batch of
 * tasks becomes one Spark job over a parallelised list of task descriptions (the driver runs several batches
 * side by side, as Spark allows for the jobs of one application); a partition builds one {@link TaskWorker} and
 * runs its tasks, so a sample's jobs run inside one Spark task with their data in memory. Results (small: literal values and locations) come back to the driver partition by partition as
 * they finish, which keeps the progress bar moving; data never does.
 */
public final class SparkExecutor implements Executor {
    private final SparkSession session;
    private final boolean owned;
    private final JavaSparkContext jsc;
    private final Duration defaultTimeout;

    /** Uses a session the caller owns (and stops). */
    public SparkExecutor(SparkSession session) {
        this(session, false, Timeouts.DEFAULT);
    }

    /**
     * Uses a session the caller owns (and stops).
     *
     * @param defaultTimeout how long a job of a tool without a timeout of its own may run
     */
    public SparkExecutor(SparkSession session, Duration defaultTimeout) {
        this(session, false, defaultTimeout);
    }

    private SparkExecutor(SparkSession session, boolean owned, Duration defaultTimeout) {
        this.session = session;
        this.owned = owned;
        this.jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
        this.defaultTimeout = defaultTimeout;
        // What a killed run left on this machine (tool processes, job folders) ends before this one starts;
        // executors on other machines sweep their own when their first job starts.
        ToolProcesses.ofThisJvm().sweep();
    }

    /** Starts (or joins) a session for these settings; {@link #close()} stops it. */
    public static SparkExecutor create(SparkSettings settings) {
        return create(settings, Timeouts.DEFAULT);
    }

    /**
     * Starts (or joins) a session for these settings; {@link #close()} stops it.
     *
     * @param defaultTimeout how long a job of a tool without a timeout of its own may run
     */
    public static SparkExecutor create(SparkSettings settings, Duration defaultTimeout) {
        SparkConf conf = new SparkConf().setAppName("cohortflow").setMaster(settings.effectiveMaster())
                .set("spark.task.maxFailures", Integer.toString(settings.taskRetries() + 1))
                // A speculative copy of a task would run the same job twice at once in the same folder.
                .set("spark.speculation", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // Job starts reach the driver with the executors' heartbeats (Spark's default is every 10 s).
                .set("spark.executor.heartbeatInterval", "2s");
        settings.conf().forEach(conf::set);
        SparkUi.configure(conf, settings.conf());
        return new SparkExecutor(SparkSession.builder().config(conf).getOrCreate(), true, defaultTimeout);
    }

    public SparkSession session() {
        return session;
    }

    /** The address of Spark's web UI, when it runs. */
    public java.util.Optional<String> uiUrl() {
        scala.Option<String> url = session.sparkContext().uiWebUrl();
        return url.isDefined() ? java.util.Optional.of(url.get()) : java.util.Optional.empty();
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public int parallelism() {
        return jsc.defaultParallelism();
    }

    /** In local mode the executor is this JVM. */
    @Override
    public boolean runsTasksInThisJvm() {
        return jsc.sc().isLocal();
    }

    @Override
    public <R extends Serializable> void runAll(List<? extends Work<R>> work, WorkerEnvironment env, String description,
                                                JobStart.Listener onStart, Consumer<R> onResult) {
        if (work.isEmpty()) {
            return;
        }
        // Job starts, and the results of jobs that succeed while their task goes on, reach the driver with heartbeats.
        CollectionAccumulator<Serializable> starts = session.sparkContext().collectionAccumulator("cohortflow job progress");
        JobStartListener listener = new JobStartListener(starts.id(), onStart);
        session.sparkContext().addSparkListener(listener);
        // A few partitions per core balance uneven tasks and give the driver results to show as they finish.
        int slices = Math.min(work.size(), Math.max(1, parallelism() * 4));
        @SuppressWarnings("unchecked")
        List<Work<R>> items = (List<Work<R>>) work;
        RDD<Work<R>> rdd = jsc.parallelize(items, slices).rdd();
        @SuppressWarnings({"unchecked", "rawtypes"})
        ClassTag<ArrayList<R>> tag = (ClassTag) ClassTag$.MODULE$.apply(ArrayList.class);
        // The description is a property of this thread's next Spark jobs: set for this one, cleared after.
        jsc.setJobDescription(description);
        try {
            session.sparkContext().runJob(rdd, new RunPartition<>(env, coresPerExecutor(), defaultTimeout, starts),
                    new Deliver<>(onResult), tag);
        } catch (RuntimeException e) {
            throw new ExecutionFailedException("Spark could not run the tasks: " + e.getMessage(), e);
        } finally {
            jsc.setJobDescription(null);
            session.sparkContext().removeSparkListener(listener);
        }
    }

    /**
     * How many cores the tasks of one executor share: local mode's thread count, or {@code spark.executor.cores}
     * on a cluster (0 when unset: each executor then counts its machine's processors, as standalone
     * executors by default take all of a worker's cores).
     */
    private int coresPerExecutor() {
        if (jsc.sc().isLocal()) return jsc.defaultParallelism();
        return jsc.getConf().getInt("spark.executor.cores", 0);
    }

    @Override
    public void close() {
        if (owned) {
            session.stop();
        }
    }

    /** Runs on an executor: one worker for the partition, then each task. */
    private static final class RunPartition<R extends Serializable>
            extends AbstractFunction1<Iterator<Work<R>>, ArrayList<R>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final WorkerEnvironment env;
        private final int cores;
        private final Duration defaultTimeout;
        private final CollectionAccumulator<Serializable> starts;

        RunPartition(WorkerEnvironment env, int cores, Duration defaultTimeout, CollectionAccumulator<Serializable> starts) {
            this.env = env;
            this.cores = cores;
            this.defaultTimeout = defaultTimeout;
            this.starts = starts;
        }

        @Override
        public ArrayList<R> apply(Iterator<Work<R>> items) {
            CorePool pool = ExecutorCorePools.forCores(cores);
            TaskWorker worker = new TaskWorker(env, ExecutorResources.of(env), pool.gate(), defaultTimeout, new JobStart.Listener() {
                @Override
                public void started(JobStart start) {
                    starts.add(start);
                }

                @Override
                public void ended(JobResult result) {
                    starts.add(result);
                }
            });
            ArrayList<R> out = new ArrayList<>();
            while (items.hasNext()) {
                Work<R> w = items.next();
                try {
                    out.add(pool.runTask(() -> w.run(worker)));
                } catch (InterruptedException e) {
                    // Spark kills a task by interrupting it; keep the flag so Spark sees it as killed.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("task interrupted while waiting for cores", e);
                }
            }
            return out;
        }
    }

    /** Runs on the driver as each partition's results arrive (Spark calls it from one thread). */
    private static final class Deliver<R> extends AbstractFunction2<Object, ArrayList<R>, BoxedUnit> {
        private final Consumer<R> onResult;

        Deliver(Consumer<R> onResult) {
            this.onResult = onResult;
        }

        @Override
        public BoxedUnit apply(Object partition, ArrayList<R> results) {
            results.forEach(onResult);
            return BoxedUnit.UNIT;
        }
    }
}
