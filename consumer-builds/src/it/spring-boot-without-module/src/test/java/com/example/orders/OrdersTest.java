package com.example.orders;

import dev.cleanroom.postgres.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

@IsolatedPostgres(migrations = "")
@SpringBootTest
class OrdersTest {

    @Test
    void usesTheTestsSchema() {}
}
