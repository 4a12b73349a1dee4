package dev.cleanroom.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cleanroom.core.Cleanroom;
import dev.cleanroom.spring.state.CachingConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The cached context's caches and Resettable beans are reset after each Cleanroom test. */
class SpringStateResetTest {

    /** Two tests of one cached context; the first fills the cache and takes an order number. */
    @Cleanroom
    @SpringBootTest(classes = CachingConfig.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedContext {
        @Autowired
        CachingConfig.PriceService prices;
        @Autowired
        CachingConfig.OrderNumbers orders;

        @Test
        @Order(1)
        void first() {
            int before = prices.computed();
            assertThat(prices.price("sku-1")).isEqualTo("sku-1:9.99");
            prices.price("sku-1");
            assertThat(prices.computed()).as("computed once, then cached").isEqualTo(before + 1);
            assertThat(orders.next()).isEqualTo(1);
        }

        @Test
        @Order(2)
        void second() {
            int before = prices.computed();
            prices.price("sku-1");
            assertThat(prices.computed()).as("the price was computed again: the cache was cleared")
                    .isEqualTo(before + 1);
            assertThat(orders.next()).as("order number: the Resettable bean was reset").isEqualTo(1);
        }
    }

    @Test
    void cachesAndResettableBeansOfTheContextAreResetAfterEachTest() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SharedContext.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .execute();

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    }
}
