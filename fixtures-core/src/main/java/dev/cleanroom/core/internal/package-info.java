/**
 * The implementation of fixtures-core: the JUnit callbacks behind
 * {@link dev.cleanroom.core.CleanroomExtension} (scope lifecycle, teardown runner, the helpers'
 * lifecycle), the JVM's registry of shared servers and the watch that tells a dead or hung
 * server, engine selection and the Docker probe, thread and task leak detection (thread diffs,
 * uncaught-exception routing, tracked executors and futures), and the end-of-run summary
 * listener. Implementation, not API; may change without notice.
 */
@API(status = INTERNAL, since = "0.1")
package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
