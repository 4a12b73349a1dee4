package dev.cleanroom.spring.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of orders. */
public interface OrderRepository extends JpaRepository<Order, String> {}
