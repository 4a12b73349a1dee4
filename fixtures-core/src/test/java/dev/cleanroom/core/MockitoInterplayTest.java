package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.cleanroom.core.spi.ServiceContext;
import dev.cleanroom.core.spi.ServiceFactory;
import dev.cleanroom.testkit.EngineKit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/**
 * Mock interplay: MockitoExtension makes fresh mocks per test; a factory takes the test's
 * mock through {@link ServiceContext#fromTest} and falls back to the real dependency.
 */
class MockitoInterplayTest {

    /** A dependency the service calls out to. */
    public interface PaymentGateway {
        boolean charge(String order, long cents);
    }

    /** The real one, used when a test supplies none. */
    static final class RealGateway implements PaymentGateway {
        @Override
        public boolean charge(String order, long cents) {
            return cents < 10_000;
        }
    }

    /** The service under test. */
    public static final class Checkout {
        final PaymentGateway gateway;

        Checkout(PaymentGateway gateway) {
            this.gateway = gateway;
        }

        String checkout(String order, long cents) {
            return gateway.charge(order, cents) ? "paid" : "declined";
        }
    }

    // tag::factory[]
    public static final class CheckoutFactory implements ServiceFactory<Checkout> {
        @Override
        public Class<Checkout> serviceType() {
            return Checkout.class;
        }

        @Override
        public Checkout create(ServiceContext context) {
            PaymentGateway gateway = context.fromTest(PaymentGateway.class).orElseGet(RealGateway::new);
            return new Checkout(gateway);
        }
    }
    // end::factory[]

    static final List<PaymentGateway> SEEN = new CopyOnWriteArrayList<>();

    // tag::mocked[]
    @ExtendWith(MockitoExtension.class)
    @IsolatedServices(CheckoutFactory.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class WithAMockedGateway {
        @Mock
        PaymentGateway gateway; // a fresh mock for every test, filled before parameters are resolved

        @Test
        @Order(1)
        void declinesWhenTheGatewaySaysNo(Checkout checkout) {
            when(gateway.charge("order-1", 500)).thenReturn(false);
            assertThat(checkout.checkout("order-1", 500)).isEqualTo("declined");
            assertThat(checkout.gateway).isSameAs(gateway);
            SEEN.add(gateway);
        }

        @Test
        @Order(2)
        void startsWithAnUntouchedMock(Checkout checkout) {
            verifyNoInteractions(gateway); // nothing of the first test's stubbing or calls is left
            when(gateway.charge("order-2", 500)).thenReturn(true);
            assertThat(checkout.checkout("order-2", 500)).isEqualTo("paid");
            verify(gateway).charge("order-2", 500);
            assertThat(SEEN).doesNotContain(gateway);
        }
    }
    // end::mocked[]

    @IsolatedServices(CheckoutFactory.class)
    static class WithTheRealGateway {
        @Test
        void usesTheRealDependency(Checkout checkout) {
            assertThat(checkout.gateway).isInstanceOf(RealGateway.class);
            assertThat(checkout.checkout("order-3", 20_000)).isEqualTo("declined");
        }
    }

    @Test
    void aFactoryGetsTheTestsFreshMockEveryTest() {
        SEEN.clear();
        EngineKit.run(WithAMockedGateway.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(SEEN).hasSize(1);
    }

    @Test
    void withoutAMockTheFactoryUsesTheRealDependency() {
        EngineKit.run(WithTheRealGateway.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void twoFieldsOfTheSameTypeAreAnErrorThatNamesBoth() {
        org.junit.platform.testkit.engine.EngineExecutionResults results = EngineKit.run(Ambiguous.class);
        results.testEvents().assertThatEvents().haveExactly(1, org.junit.platform.testkit.engine.EventConditions.event(
                org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                        org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m ->
                                m.contains("Several fields of the test supply a PaymentGateway: ") && m.contains("Ambiguous.first") && m.contains("Ambiguous.second")))));
    }

    @ExtendWith(MockitoExtension.class)
    @IsolatedServices(CheckoutFactory.class)
    static class Ambiguous {
        @Mock
        PaymentGateway first;
        @Mock
        PaymentGateway second;

        @Test
        void needsCheckout(Checkout checkout) {
        }
    }
}
