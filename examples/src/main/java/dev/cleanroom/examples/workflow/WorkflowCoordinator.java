package dev.cleanroom.examples.workflow;

import dev.cleanroom.examples.hooks.HookEvent;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs workflows: consumes hook events from Kafka and starts the workflow its router picks
 * (once per event, however often the event is delivered), or runs a workflow handed to
 * {@link #submitWorkflow}. A workflow's tasks run one after the other on a worker thread, each
 * a call to the {@link Downstream} through the circuit breaker; the first failure fails the
 * workflow and skips the remaining tasks. Every state change of a workflow or task is recorded
 * in Postgres ({@code workflow_transitions}); each outcome is published to the completion topic.
 *
 * <p>{@link #stop()} stops the consumer, cancels running workflows (recorded as CANCELLED),
 * and returns when every thread it started has ended.
 */
public final class WorkflowCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowCoordinator.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private enum State { NEW, STARTED, STOPPED }

    private final WorkflowCoordinatorConfig config;
    private final WorkflowStore store;
    private final AtomicLong rejectedRecords = new AtomicLong();
    private volatile State state = State.NEW;
    private volatile boolean consuming;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private ThreadPoolExecutor workers;
    private Thread consumerThread;

    public WorkflowCoordinator(WorkflowCoordinatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = new WorkflowStore(config.dataSource());
    }

    public WorkflowCoordinatorConfig config() {
        return config;
    }

    /** Starts the producer, the workers and the hook consumer thread. */
    public synchronized WorkflowCoordinator start() {
        if (state != State.NEW) {
            throw new IllegalStateException("WorkflowCoordinator can be started once; it is " + state);
        }
        producer = new KafkaProducer<>(producerProperties());
        try {
            consumer = new KafkaConsumer<>(consumerProperties());
            consumer.subscribe(List.of(config.hookTopic()));
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), config.threadFactory());
        consuming = true;
        consumerThread = config.threadFactory().newThread(this::consumeHooks);
        state = State.STARTED;
        consumerThread.start();
        LOG.info("WorkflowCoordinator consuming {} as {}, publishing to {}", config.hookTopic(), config.groupId(),
                config.completionTopic());
        return this;
    }

    /**
     * Starts {@code definition} now (its tasks run in the background).
     *
     * @throws IllegalStateException when the coordinator is not running
     * @throws SQLException when the workflow could not be recorded
     */
    public Workflow submitWorkflow(WorkflowDefinition definition) throws SQLException {
        Objects.requireNonNull(definition, "definition");
        requireRunning();
        Workflow workflow = new Workflow("wf-" + UUID.randomUUID(), definition);
        store.create(workflow.id(), definition, null, null);
        schedule(workflow, Optional.empty());
        return workflow;
    }

    /** {@code submitWorkflow(WorkflowDefinition.of(name, tasks))}. */
    public Workflow submitWorkflow(String name, String... tasks) throws SQLException {
        return submitWorkflow(WorkflowDefinition.of(name, tasks));
    }

    /** Hook records that were not JSON hook events (logged and skipped). */
    public long rejectedRecords() {
        return rejectedRecords.get();
    }

    public boolean isRunning() {
        return state == State.STARTED;
    }

    /** Stops consuming, cancels running and queued workflows, closes the clients. Idempotent. */
    public void stop() {
        Thread consumerToJoin;
        synchronized (this) {
            if (state != State.STARTED) {
                state = State.STOPPED;
                return;
            }
            state = State.STOPPED;
            consuming = false;
            consumerToJoin = consumerThread;
        }
        try {
            consumer.wakeup();
            joinQuietly(consumerToJoin);
            for (Runnable queued : workers.shutdownNow()) {
                if (queued instanceof Run run) {
                    run.cancelledBeforeStart = true;
                    run.run();
                }
            }
            if (!workers.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("WorkflowCoordinator workers did not stop within {}: a task ignores interruption", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void requireRunning() {
        if (state != State.STARTED) {
            throw new IllegalStateException("WorkflowCoordinator is " + state + "; call start() first");
        }
    }

    private static void joinQuietly(Thread thread) throws InterruptedException {
        thread.join(STOP_TIMEOUT.toMillis());
        if (thread.isAlive()) {
            LOG.error("WorkflowCoordinator consumer thread {} did not stop within {}", thread.getName(), STOP_TIMEOUT);
        }
    }

    // ---- hook consumption --------------------------------------------------------------------

    private void consumeHooks() {
        try {
            while (consuming) {
                ConsumerRecords<String, String> records = consumer.poll(config.pollTimeout());
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, String> record : records.records(partition)) {
                        try {
                            handleHook(record);
                            handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                        } catch (SQLException | RuntimeException e) {
                            LOG.error("WorkflowCoordinator could not handle hook record {}@{}; retrying it", partition,
                                    record.offset(), e);
                            consumer.seek(partition, record.offset());
                            failed = true;
                            break;
                        }
                    }
                }
                if (!handled.isEmpty()) {
                    consumer.commitSync(handled);
                }
                if (failed) {
                    Thread.sleep(config.pollTimeout().toMillis() * 10);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (consuming) {
                LOG.error("WorkflowCoordinator consumer woken up while running", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("WorkflowCoordinator consumer failed; no more hook events are consumed", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handleHook(ConsumerRecord<String, String> record) throws SQLException {
        HookEvent event;
        try {
            event = HookEvent.fromJson(record.value());
        } catch (IllegalArgumentException e) {
            rejectedRecords.incrementAndGet();
            LOG.warn("WorkflowCoordinator skips record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        Optional<WorkflowDefinition> definition = config.router().route(event);
        HookProcessed processed;
        if (definition.isEmpty()) {
            processed = new HookProcessed(event, Optional.empty(), false);
        } else {
            Workflow workflow = new Workflow("hook:" + event.key(), definition.get());
            boolean created = store.create(workflow.id(), workflow.definition(), event.source(), event.id());
            if (created) {
                schedule(workflow, Optional.of(event.key()));
            }
            processed = new HookProcessed(event, Optional.of(workflow.id()), !created);
        }
        notifyListener("onHookProcessed", () -> config.onHookProcessed().accept(processed));
    }

    // ---- running workflows -------------------------------------------------------------------

    private void schedule(Workflow workflow, Optional<String> hookKey) {
        Run run = new Run(workflow, hookKey);
        try {
            workers.execute(run);
        } catch (RejectedExecutionException e) {
            run.cancelledBeforeStart = true;
            run.run();
            throw new IllegalStateException("WorkflowCoordinator is stopping; workflow " + workflow.id() + " was cancelled", e);
        }
    }

    /** One workflow's run: its tasks in order, each transition recorded. */
    private final class Run implements Runnable {
        private final Workflow workflow;
        private final Optional<String> hookKey;
        volatile boolean cancelledBeforeStart;

        Run(Workflow workflow, Optional<String> hookKey) {
            this.workflow = workflow;
            this.hookKey = hookKey;
        }

        @Override
        public void run() {
            try {
                WorkflowOutcome outcome = execute();
                publish(outcome);
                workflow.finish(outcome);
                notifyListener("onWorkflowFinished", () -> config.onWorkflowFinished().accept(outcome));
            } catch (SQLException | RuntimeException e) {
                LOG.error("WorkflowCoordinator could not record {}", workflow, e);
                workflow.fail(e);
            }
        }

        private WorkflowOutcome execute() throws SQLException {
            String id = workflow.id();
            List<String> tasks = workflow.definition().tasks();
            List<TaskResult> results = new ArrayList<>();
            boolean cancelled = cancelledBeforeStart;
            boolean failed = false;
            boolean interrupted = false;
            WorkflowState current = WorkflowState.PENDING;
            if (!cancelled) {
                store.workflowTransition(id, current, WorkflowState.RUNNING, null);
                current = WorkflowState.RUNNING;
            }
            for (int position = 0; position < tasks.size(); position++) {
                String task = tasks.get(position);
                if (!cancelled && !failed && Thread.currentThread().isInterrupted()) {
                    cancelled = true;
                }
                if (cancelled || failed) {
                    String why = cancelled ? "workflow cancelled: coordinator stopped" : "an earlier task failed";
                    store.taskTransition(id, position, task, TaskState.PENDING, TaskState.SKIPPED, why);
                    results.add(new TaskResult(task, TaskState.SKIPPED, why));
                    continue;
                }
                store.taskTransition(id, position, task, TaskState.PENDING, TaskState.RUNNING, null);
                TaskRequest request = new TaskRequest(id, workflow.definition().name(), task, position);
                TaskState end;
                String detail;
                try {
                    detail = config.circuitBreaker().executeCallable(() -> config.downstream().execute(request));
                    end = TaskState.SUCCEEDED;
                } catch (CallNotPermittedException e) {
                    end = TaskState.FAILED;
                    detail = "circuit breaker '" + config.circuitBreaker().getName() + "' is "
                            + config.circuitBreaker().getState() + ": downstream not called";
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancelled = true;
                    end = TaskState.FAILED;
                    detail = "interrupted: coordinator stopped";
                } catch (Exception e) {
                    end = TaskState.FAILED;
                    detail = "downstream failed: " + e;
                }
                // Record even when interrupted: JDBC pools refuse interrupted threads.
                interrupted |= Thread.interrupted();
                cancelled |= interrupted;
                store.taskTransition(id, position, task, TaskState.RUNNING, end, detail);
                results.add(new TaskResult(task, end, detail));
                failed |= end == TaskState.FAILED && !cancelled;
            }
            WorkflowState end = cancelled ? WorkflowState.CANCELLED : failed ? WorkflowState.FAILED : WorkflowState.COMPLETED;
            store.workflowTransition(id, current, end, null);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new WorkflowOutcome(id, workflow.definition().name(), end, results, hookKey);
        }

        private void publish(WorkflowOutcome outcome) {
            boolean interrupted = Thread.interrupted();
            try {
                producer.send(new ProducerRecord<>(config.completionTopic(), outcome.workflowId(), outcome.toJson()))
                        .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not publish the outcome of " + workflow + " to "
                        + config.completionTopic() + ": " + e, e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void notifyListener(String listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("WorkflowCoordinator listener {} failed", listener, e);
        }
    }

    // ---- clients -----------------------------------------------------------------------------

    private Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(config.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(PUBLISH_TIMEOUT.toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.groupId() + "-completions");
        return props;
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(config.kafka());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-hooks");
        return props;
    }
}
