package dev.cleanroom.spring.internal;

import dev.cleanroom.core.Configuration;
import dev.cleanroom.core.RunId;
import dev.cleanroom.core.spi.Fixtures;
import dev.cleanroom.core.spi.SharedServerLease;
import dev.cleanroom.kafka.internal.KafkaServer;
import dev.cleanroom.kafka.internal.KafkaServerProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The Kafka half of a Cleanroom context: {@code KafkaConnectionDetails} for the shared
 * broker; producers that send a record for topic {@code orders} to the current test's
 * {@code orders}; {@code @KafkaListener}s subscribed to the running tests' copies of their
 * topics ({@link TestTopicsConsumer}), in a consumer group of this run; and a record interceptor that runs each
 * record's listener work as the test that owns the record's topic.
 */
final class KafkaWiring {

    static final String GROUP_ID = "spring.kafka.consumer.group-id";
    static final String ACK_MODE = "spring.kafka.listener.ack-mode";
    static final String API_TIMEOUT = "spring.kafka.consumer.properties.default.api.timeout.ms";
    static final long API_TIMEOUT_MS = 10_000;
    /** The context's {@link TopicRouting}. */
    static final String ROUTING_BEAN = "cleanroomTopicRouting";
    /** How long a test waits at most for its listeners to have its topics assigned. */
    static final Duration LISTENER_READY_TIMEOUT = Duration.ofSeconds(30);

    private KafkaWiring() {}

    static void register(ConfigurableApplicationContext context, DefaultListableBeanFactory beans,
                         Configuration configuration) {
        SharedServerLease<KafkaServer> lease = Fixtures.leaseSharedServer(configuration, KafkaServerProvider.class);
        beans.registerDisposableBean("cleanroomKafkaLease", lease::close);
        String bootstrap = lease.server().bootstrapServers();
        beans.registerSingleton("cleanroomKafkaConnectionDetails", new CleanroomKafkaConnectionDetails(bootstrap));

        ConfigurableEnvironment environment = context.getEnvironment();
        Map<String, Object> overrides = new HashMap<>();
        // a test's topic can be found after its first record was written: read it from the start
        overrides.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        // the classic protocol rebalances as soon as the subscription changes; the new one (KIP-848)
        // waits for the broker's heartbeat interval (5 s), too slow for a test's first record
        overrides.put("spring.kafka.consumer.properties.group.protocol", "classic");
        // a listener may be subscribed to a test's topic for a moment before it is created (createTopic) or after it
        // was deleted (the test ended): a metadata request must never create it, whatever the broker allows
        overrides.put("spring.kafka.consumer.properties.allow.auto.create.topics", "false");
        // a test's topics are deleted right after it: a call about a topic that vanished meanwhile (its position,
        // its committed offset) gives up after this, not after Kafka's default minute
        if (environment.getProperty(API_TIMEOUT) == null) {
            overrides.put(API_TIMEOUT, String.valueOf(API_TIMEOUT_MS));
        }
        overrides.put("spring.kafka.consumer.properties.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        // no offset commits for records the listener does not acknowledge itself: a test's topics are deleted
        // right after it, and a commit for a deleted topic blocks the listener thread for a minute
        String ackMode = environment.getProperty(ACK_MODE, "batch").toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        if (!ackMode.startsWith("manual")) {
            overrides.put(ACK_MODE, "manual");
        }
        String group = environment.getProperty(GROUP_ID);
        if (group != null && !group.isBlank()) {
            overrides.put(GROUP_ID, runGroup(group));
        }
        environment.getPropertySources().addFirst(new MapPropertySource("cleanroomKafka", overrides));

        TopicRouting routing = new TopicRouting();
        beans.registerSingleton(ROUTING_BEAN, routing);
        beans.registerSingleton("cleanroomKafkaListenerTopics", new ListenerTopics(environment, routing));
        ThreadPoolTaskScheduler monitor = OwnedListenerThreads.monitorScheduler();
        beans.registerDisposableBean("cleanroomListenerMonitor", monitor::shutdown);
        beans.addBeanPostProcessor(new ClientRouter(routing, monitor));
    }

    /**
     * Before the test's body: waits until each listener that reads one of the test's topics
     * (and assigns itself its topics) has them assigned, so that the body's first record is
     * read at once rather than after the listener noticed the topic.
     */
    static void awaitListeners(org.springframework.context.ApplicationContext context) throws InterruptedException {
        java.util.Optional<dev.cleanroom.core.spi.RunningTest> test = Fixtures.currentTest();
        java.util.Optional<dev.cleanroom.kafka.KafkaHandle> kafka = test.flatMap(t -> t.fixture(
                dev.cleanroom.kafka.KafkaHandle.class));
        if (kafka.isEmpty() || !context.containsBean(ROUTING_BEAN)) {
            return;
        }
        TopicRouting routing = context.getBean(ROUTING_BEAN, TopicRouting.class);
        routing.assignments().awaitAssigned(routing.listenerCopies(kafka.get()), LISTENER_READY_TIMEOUT,
                test.get().identity().readableName());
    }

    /** This run's copy of the application's group {@code group}: runs sharing a broker never share a group. */
    static String runGroup(String group) {
        return group.startsWith("cr" + RunId.current() + "_") ? group : "cr" + RunId.current() + "_" + group;
    }

    /**
     * Redirects the sends of every producer factory; intercepts the records of every listener container
     * factory and runs its consumers on threads the leak checks know as the context's.
     */
    private record ClientRouter(TopicRouting routing, ThreadPoolTaskScheduler monitor) implements BeanPostProcessor {

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof ProducerFactory<?, ?> factory) {
                ((ProducerFactory) factory).addPostProcessor(producer -> RedirectingProducer.wrap(
                        (org.apache.kafka.clients.producer.Producer<Object, Object>) producer, routing));
            } else if (bean instanceof ConsumerFactory<?, ?> factory) {
                ((ConsumerFactory) factory).addPostProcessor(consumer -> TestTopicsConsumer.wrap(
                        (org.apache.kafka.clients.consumer.Consumer<Object, Object>) consumer, routing));
            } else if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
                AbstractKafkaListenerContainerFactory raw = factory;
                RecordInterceptor existing = raw.getRecordInterceptor();
                RecordInterceptor ours = new TestRecordInterceptor(routing);
                raw.setRecordInterceptor(existing == null ? ours : new CompositeRecordInterceptor(ours, existing));
                ContainerProperties properties = factory.getContainerProperties();
                if (properties.getListenerTaskExecutor() == null) {
                    properties.setListenerTaskExecutor(OwnedListenerThreads.executor(beanName + "-C-"));
                }
                if (properties.getScheduler() == null) {
                    properties.setScheduler(monitor);
                }
            }
            return bean;
        }
    }
}
