package dev.cleanroom.spring.state;

import dev.cleanroom.core.Resettable;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A context with state that outlives a test: a Spring cache and a counter bean. No database, no Kafka. */
@Configuration
@EnableCaching
public class CachingConfig {

    /** Prices, cached by Spring: a second lookup of the same sku is not computed again. */
    public static class PriceService {
        private final AtomicInteger computed = new AtomicInteger();

        @Cacheable("prices")
        public String price(String sku) {
            computed.incrementAndGet();
            return sku + ":9.99";
        }

        public int computed() {
            return computed.get();
        }
    }

    /** Order numbers, a singleton's counter; resettable. */
    // tag::resettable-bean[]
    public static class OrderNumbers implements Resettable {
        private final AtomicInteger last = new AtomicInteger();

        public int next() {
            return last.incrementAndGet();
        }

        @Override
        public String name() {
            return "order numbers";
        }

        @Override
        public void reset() {
            last.set(0);
        }
    }
    // end::resettable-bean[]

    @Bean
    public CacheManager cacheManager() {
        return new ConcurrentMapCacheManager("prices");
    }

    @Bean
    public PriceService priceService() {
        return new PriceService();
    }

    @Bean
    public OrderNumbers orderNumbers() {
        return new OrderNumbers();
    }
}
