package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.core.Cleanroom;
import dev.cleanroom.core.IsolationScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

// tag::teardown[]
@Cleanroom
class ReportTest {
    @Test
    void writesReport(IsolationScope scope) throws Exception {
        Path dir = scope.register("temp dir", Files.createTempDirectory("report"), ReportTest::deleteTree);
        ExecutorService pool = scope.register("pool", Executors.newFixedThreadPool(2), ExecutorService::shutdownNow);
        // ... closed after the test: pool first, then the directory
        // end::teardown[]
        pool.submit(() -> Files.writeString(dir.resolve("report.txt"), "ok")).get();
        DIRS.add(dir);
        // tag::teardown[]
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
    // end::teardown[]

    static final List<Path> DIRS = new CopyOnWriteArrayList<>();

    @AfterAll
    static void theDirectoryIsGone() {
        assertThat(DIRS).hasSize(1).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }
// tag::teardown[]
}
// end::teardown[]
