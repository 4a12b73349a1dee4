package dev.cleanroom.spring.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the migrated {@code orders} table. */
@Entity
@Table(name = "orders")
public class Order {

    @Id
    private String id;

    private String status;

    protected Order() {}

    public Order(String id, String status) {
        this.id = id;
        this.status = status;
    }

    public String getId() {
        return id;
    }

    public String getStatus() {
        return status;
    }
}
