/**
 * The implementation of fixtures-kafka: the extension behind
 * {@link dev.cleanroom.kafka.IsolatedKafka @IsolatedKafka} and its declaration check, the
 * three broker engines (container, embedded child JVM, external), topics created ahead of
 * the tests in pools per topic shape, physical names that carry the run id, the background
 * deleter of topics and groups, and the run lease and orphan cleaner that let several runs
 * share a broker. Implementation, not API; may change without notice.
 */
@API(status = INTERNAL, since = "0.1")
package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
