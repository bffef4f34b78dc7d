package org.cohortflow.executors.spark;

import java.util.List;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.cohortflow.executors.task.JobResult;
import org.cohortflow.executors.task.JobStart;
import scala.Option;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Brings job starts, and the results of jobs that succeeded, from Spark's executors to the driver while their
 * tasks still run. Each task adds the jobs it begins and ends to a collection accumulator; executors send the
 * accumulators of running tasks with every heartbeat ({@code spark.executor.heartbeatInterval}), and Spark posts
 * them to listeners as executor metrics updates. The same start or end comes again with every later heartbeat and
 * at the task's end: the receiver ignores the ones it has seen.
 */
final class JobStartListener extends SparkListener {
    private final long accumulatorId;
    private final JobStart.Listener onStart;

    JobStartListener(long accumulatorId, JobStart.Listener onStart) {
        this.accumulatorId = accumulatorId;
        this.onStart = onStart;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            deliver(CollectionConverters.asJava(task._4()));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo() != null) {
            deliver(CollectionConverters.asJava(end.taskInfo().accumulables()));
        }
    }

    private void deliver(List<AccumulableInfo> infos) {
        for (AccumulableInfo info : infos) {
            if (info.id() != accumulatorId) {
                continue;
            }
            Option<Object> update = info.update();
            if (update.isDefined() && update.get() instanceof List<?> starts) {
                for (Object s : starts) {
                    if (s instanceof JobStart js) {
                        onStart.started(js);
                    } else if (s instanceof JobResult r) {
                        onStart.ended(r);
                    }
                }
            }
        }
    }
}
