package dev.cleanroom.examples.spring;

import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores a hook event once per (source, id) and publishes it, in one transaction. */
@Service
public class HookReceiver {

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafka;
    private final String hooksTopic;

    public HookReceiver(JdbcTemplate jdbc, KafkaTemplate<String, String> kafka,
                        @Value("${app.topics.hooks}") String hooksTopic) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.hooksTopic = hooksTopic;
    }

    /** True if the event is new (stored and published); false for a duplicate. A failed publish rolls back. */
    @Transactional
    public boolean receive(String source, HookRequest hook) throws Exception {
        int stored = jdbc.update("insert into hook_events(source, event_id, event_type, payload) values (?, ?, ?, ?) "
                + "on conflict do nothing", source, hook.id(), hook.type(), hook.payload() == null ? "" : hook.payload());
        if (stored == 0) {
            return false;
        }
        kafka.send(hooksTopic, source + ":" + hook.id(), hook.type()).get(10, TimeUnit.SECONDS);
        return true;
    }
}
