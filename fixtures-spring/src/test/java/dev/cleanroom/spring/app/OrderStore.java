package dev.cleanroom.spring.app;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Orders and their status history, through the application's own DataSource. */
@Repository
public class OrderStore {

    private final JdbcTemplate jdbc;

    public OrderStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the order and its first event in one transaction; {@code failAfterInsert} rolls both back. */
    @Transactional
    public void place(String id, String status, boolean failAfterInsert) {
        jdbc.update("insert into orders(id, status) values (?, ?)", id, status);
        jdbc.update("insert into order_events(order_id, status) values (?, ?)", id, status);
        if (failAfterInsert) {
            throw new IllegalStateException("failing after the insert of " + id);
        }
    }

    public List<String> ids() {
        return jdbc.queryForList("select id from orders order by id", String.class);
    }

    public String currentSchema() {
        return jdbc.queryForObject("select current_schema()", String.class);
    }
}
