package dev.cleanroom.benchmarks;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The CPU time a container has used since it started, as Docker counts it (the
 * {@code cpu_stats.cpu_usage.total_usage} of one stats sample). The benchmark reads it
 * before and after each way, so that the table says how much CPU each server spent on
 * that way's run.
 */
final class ContainerCpu {

    private ContainerCpu() {}

    /** Nanoseconds of CPU the container has used, or -1 when Docker did not say within 10 s. */
    static long usedNanos(String containerId) {
        try (OneSample sample = new OneSample()) {
            DockerClientFactory.instance().client().statsCmd(containerId).withNoStream(true).exec(sample);
            return sample.awaitCompletion(10, TimeUnit.SECONDS) ? sample.total() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static final class OneSample extends ResultCallback.Adapter<Statistics> {
        private volatile Statistics first;

        @Override
        public void onNext(Statistics statistics) {
            if (first == null) {
                first = statistics;
            }
        }

        long total() {
            CpuStatsConfig cpu = first == null ? null : first.getCpuStats();
            Long used = cpu == null || cpu.getCpuUsage() == null ? null : cpu.getCpuUsage().getTotalUsage();
            return used == null ? -1 : used;
        }
    }
}
