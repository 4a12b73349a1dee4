package dev.cleanroom.examples.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts webhook events over HTTP, stores each once in Postgres and publishes it to Kafka.
 *
 * <ul>
 *   <li>{@code POST /hooks/{source}} with a JSON object {@code {"id": "...", "type": "...", "payload": {...}}}:
 *       {@code 202} when the event is new (stored and published), {@code 200} when this source already
 *       sent this id (nothing stored or published again), {@code 4xx} with {@code {"error": ..., "problems": [...]}}
 *       when the request is wrong (nothing stored, nothing published), {@code 503} when Postgres or Kafka
 *       failed (the row is rolled back: a retry is safe).</li>
 *   <li>{@code GET /health}: {@code 200 {"status":"UP"}} when the database answers, else {@code 503}.</li>
 * </ul>
 *
 * <p>Storing and publishing happen in one database transaction that commits only after Kafka
 * acknowledged the record, so an event is stored only if it was published (at least once).
 */
public final class HookReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HookReceiver.class);
    private static final String INSERT = "INSERT INTO hook_events (source, event_id, event_type, payload, received_at) "
            + "VALUES (?, ?, ?, CAST(? AS jsonb), ?) ON CONFLICT (source, event_id) DO NOTHING";

    private enum State { NEW, STARTED, STOPPED }

    private final HookReceiverConfig config;
    private State state = State.NEW;
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private KafkaProducer<String, String> producer;

    public HookReceiver(HookReceiverConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    public HookReceiverConfig config() {
        return config;
    }

    /** Binds the port, starts the handler threads and the Kafka producer. */
    public synchronized HookReceiver start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("HookReceiver can be started once; it is " + state);
        }
        producer = new KafkaProducer<>(producerProperties());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
        } catch (IOException e) {
            producer.close(Duration.ZERO);
            throw new IOException("HookReceiver could not listen on port " + config.port() + ": " + e.getMessage(), e);
        }
        executor = new ThreadPoolExecutor(config.handlerThreads(), config.handlerThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), config.threadFactory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        state = State.STARTED;
        LOG.info("HookReceiver listening on {} (topic {})", uri(), config.topic());
        return this;
    }

    /** Stops accepting requests, waits briefly for running ones, stops the handler threads and the producer. Idempotent. */
    public synchronized void stop() {
        if (state != State.STARTED) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("HookReceiver handler threads did not stop within 10 s");
                }
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The port the server is bound to (the real one when the configuration asked for port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("HookReceiver is not started, so it has no port yet");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} (a started receiver). */
    public URI uri() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port());
    }

    /** The URI that {@code source} posts its hooks to. */
    public URI hookUri(String source) {
        return uri().resolve("/hooks/" + source);
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(config.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.publishTimeout().toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hook-receiver-" + config.topic());
        return props;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals("/health")) {
                if (!method.equals("GET")) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    reply(exchange, 405, error("GET /health only; got " + method, List.of()));
                } else {
                    health(exchange);
                }
            } else if (path.startsWith("/hooks/") && path.indexOf('/', "/hooks/".length()) < 0
                    && path.length() > "/hooks/".length()) {
                if (!method.equals("POST")) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    reply(exchange, 405, error("hooks are sent with POST " + path + "; got " + method, List.of()));
                } else {
                    hook(exchange, path.substring("/hooks/".length()));
                }
            } else {
                reply(exchange, 404, error("no such endpoint: " + method + " " + path
                        + "; use POST /hooks/{source} or GET /health", List.of()));
            }
        } catch (RuntimeException e) {
            LOG.error("HookReceiver failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void hook(HttpExchange exchange, String source) throws IOException {
        HookEvent event;
        try {
            HookRequestParser.checkSource(source);
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new HookRequestParser.Rejected(415, List.of("Content-Type must be application/json, got "
                        + (contentType == null ? "none" : contentType)));
            }
            byte[] body = readBody(exchange.getRequestBody(), config.maxBodyBytes());
            event = HookRequestParser.parse(source, body, Instant.now());
        } catch (HookRequestParser.Rejected rejected) {
            reply(exchange, rejected.status, error("invalid hook request: nothing stored, nothing published",
                    rejected.problems));
            return;
        }
        ObjectNode response = HookEvent.JSON.createObjectNode().put("source", event.source()).put("id", event.id());
        try {
            boolean stored = storeAndPublish(event);
            reply(exchange, stored ? 202 : 200, response.put("status", stored ? "accepted" : "duplicate"));
        } catch (SQLException | ExecutionException | TimeoutException e) {
            LOG.warn("HookReceiver could not store and publish {}: {}", event.key(), e.toString());
            reply(exchange, 503, error("could not store and publish the event (nothing kept; retry is safe): " + e,
                    List.of()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, error("HookReceiver is stopping", List.of()));
        }
    }

    /** Inserts the event and, if it is new, publishes it before committing. Returns whether it was new. */
    private boolean storeAndPublish(HookEvent event)
            throws SQLException, ExecutionException, TimeoutException, InterruptedException {
        try (Connection connection = config.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                boolean inserted;
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, event.source());
                    insert.setString(2, event.id());
                    insert.setString(3, event.type());
                    insert.setString(4, event.payload().toString());
                    insert.setObject(5, OffsetDateTime.ofInstant(event.receivedAt(), ZoneOffset.UTC));
                    inserted = insert.executeUpdate() == 1;
                }
                if (inserted) {
                    producer.send(new ProducerRecord<>(config.topic(), event.key(), event.toJson()))
                            .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
                connection.commit();
                return inserted;
            } catch (SQLException | ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean databaseUp;
        String detail;
        try (Connection connection = config.dataSource().getConnection()) {
            databaseUp = connection.isValid(2);
            detail = databaseUp ? "UP" : "DOWN: connection not valid";
        } catch (SQLException e) {
            databaseUp = false;
            detail = "DOWN: " + e.getMessage();
        }
        reply(exchange, databaseUp ? 200 : 503, HookEvent.JSON.createObjectNode()
                .put("status", databaseUp ? "UP" : "DOWN").put("database", detail));
    }

    private static byte[] readBody(InputStream in, int max) throws IOException, HookRequestParser.Rejected {
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            throw new HookRequestParser.Rejected(413, List.of("body is larger than " + max + " bytes"));
        }
        return body;
    }

    private static ObjectNode error(String message, List<String> problems) {
        ObjectNode node = HookEvent.JSON.createObjectNode().put("error", message);
        problems.forEach(node.putArray("problems")::add);
        return node;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
