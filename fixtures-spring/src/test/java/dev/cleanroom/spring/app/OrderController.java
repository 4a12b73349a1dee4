package dev.cleanroom.spring.app;

import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST: stores an order and publishes its event; lists the stored orders. */
@RestController
public class OrderController {

    private final OrderStore store;
    private final KafkaTemplate<String, String> kafka;
    private final String eventsTopic;

    public OrderController(OrderStore store, KafkaTemplate<String, String> kafka,
                           @Value("${app.topics.order-events}") String eventsTopic) {
        this.store = store;
        this.kafka = kafka;
        this.eventsTopic = eventsTopic;
    }

    @PostMapping("/orders/{id}")
    public String place(@PathVariable String id, @RequestParam String status) throws Exception {
        store.place(id, status, false);
        kafka.send(eventsTopic, id, "stored:" + status).get();
        return id;
    }

    @GetMapping("/orders")
    public List<String> ids() {
        return store.ids();
    }
}
