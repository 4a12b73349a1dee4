package dev.cleanroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Run ids and test identities: what every resource name is built from. */
class NamingTest {

    @Test
    void theRunIdIsTenLowerCaseCharactersThatEncodeTheStartTime() {
        String id = RunId.current();
        assertThat(id).matches("[a-z0-9]{10}").isSameAs(RunId.current());
        long now = System.currentTimeMillis() / 1000;
        assertThat(RunId.startedAtEpochSecond(id)).isBetween(now - 3600, now);
        assertThat(RunId.generate()).isNotEqualTo(RunId.generate());
        assertThat(RunId.startedAtEpochSecond("not-a-run")).isEqualTo(-1);
    }

    @Test
    void identitiesAreUniqueAndTheirSlugsAreShortReadableAndSafe() {
        TestIdentity a = new TestIdentity("abc", 7, "OrderServiceIntegrationTest", "sendsOrderToTheWarehouse", "x");
        TestIdentity b = TestIdentity.named("complex_test");
        TestIdentity c = TestIdentity.named("complex_test");
        assertThat(c.sequence()).isGreaterThan(b.sequence());
        assertThat(a.slug(100)).isEqualTo("orderserviceintegrationtest_sendsordertothewarehouse");
        assertThat(a.slug(30)).hasSizeLessThanOrEqualTo(30).matches("[a-z0-9_]+")
                .startsWith("orderservice").contains("_sendsorder");
        assertThat(new TestIdentity("abc", 1, "Ünïcode Test$1", "", "x").slug(20)).isEqualTo("n_code_test_1");
        assertThat(a.readableName()).isEqualTo("OrderServiceIntegrationTest.sendsOrderToTheWarehouse");
        assertThat(Long.parseLong(a.sequenceToken(), 36)).isEqualTo(7);
    }
}
