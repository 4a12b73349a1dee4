package dev.cleanroom.spring.jpa;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Places orders through the repository, in one JPA transaction. */
@Service
public class OrderService {

    private final OrderRepository orders;

    public OrderService(OrderRepository orders) {
        this.orders = orders;
    }

    /** Saves both orders, or neither: {@code failAfterSaving} rolls the transaction back. */
    @Transactional
    public void placeBoth(Order first, Order second, boolean failAfterSaving) {
        orders.saveAndFlush(first);
        orders.saveAndFlush(second);
        if (failAfterSaving) {
            throw new IllegalStateException("failing after saving " + first.getId() + " and " + second.getId());
        }
    }
}
