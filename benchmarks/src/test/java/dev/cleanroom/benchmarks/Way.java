package dev.cleanroom.benchmarks;

import java.util.Locale;

/** The ways the generated suite is run, each with the test class it generates. */
public enum Way {

    /** (d) Shared servers, no isolation, unique keys: the floor. */
    FLOOR("floor", Shape.FULL, "hand-written"),
    /** (a) {@code @IsolatedKafka} + {@code @IsolatedPostgres}. */
    CLEANROOM("cleanroom", Shape.FULL, "cleanroom"),
    /** (b) Singleton servers, TRUNCATE and topic reset before each test, one test at a time (resource lock). */
    TRUNCATE("truncate", Shape.FULL, "hand-written"),
    /** (c) Hand-written schema (Flyway) and topics (AdminClient) per test, inline, parallel. */
    SCHEMA_PER_TEST("schema-per-test", Shape.FULL, "hand-written"),
    /** The floor with the short body (1 row, 1 record). */
    FLOOR_SHORT("floor-short", Shape.SHORT, "hand-written"),
    /** Cleanroom with the short body (1 row, 1 record). */
    CLEANROOM_SHORT("cleanroom-short", Shape.SHORT, "cleanroom"),
    /** Cleanroom with the idle body (1 row, 1 record, 100 ms sleep): isolation latency on a machine that is not saturated. */
    CLEANROOM_IDLE("cleanroom-idle", Shape.IDLE, "cleanroom");

    private final String label;
    private final Shape shape;
    private final String kind;

    Way(String label, Shape shape, String kind) {
        this.label = label;
        this.shape = shape;
        this.kind = kind;
    }

    /** The name in the table and on the command line. */
    public String label() {
        return label;
    }

    public Shape shape() {
        return shape;
    }

    public boolean cleanroom() {
        return kind.equals("cleanroom");
    }

    /** The way without the body variant: {@code floor}, {@code cleanroom}, {@code truncate} or {@code schema-per-test}. */
    String base() {
        return label.replace("-short", "").replace("-idle", "");
    }

    /** The way whose label is {@code label}. */
    public static Way of(String label) {
        for (Way way : values()) {
            if (way.label.equals(label)) {
                return way;
            }
        }
        throw new IllegalArgumentException("no way '" + label + "'; allowed: floor, cleanroom, truncate, "
                + "schema-per-test, floor-short, cleanroom-short, cleanroom-idle");
    }

    /** Simple name of generated class {@code index} (1-based). */
    String className(int index) {
        StringBuilder name = new StringBuilder();
        for (String part : label.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name + String.format(Locale.ROOT, "Suite%02dTest", index);
    }

    /** The source of generated class {@code index} with {@code tests} test methods. */
    String source(String packageName, int index, int tests) {
        String token = String.format(Locale.ROOT, "c%02d", index);
        String shapeRef = shape.reference();
        StringBuilder src = new StringBuilder("package ").append(packageName).append(";\n\n")
                .append("import dev.cleanroom.benchmarks.*;\n")
                .append("import dev.cleanroom.kafka.*;\n")
                .append("import dev.cleanroom.postgres.*;\n")
                .append("import org.junit.jupiter.api.*;\n")
                .append("import org.junit.jupiter.api.parallel.ResourceLock;\n\n");
        if (cleanroom()) {
            src.append("@IsolatedKafka(topics = {@Topic(name = \"").append(token).append("-orders\"), @Topic(name = \"")
                    .append(token).append("-events\")})\n")
                    .append("@IsolatedPostgres(migrations = \"db/suite\")\n")
                    .append("public class ").append(className(index)).append(" {\n")
                    .append("    @org.junit.jupiter.api.extension.RegisterExtension\n")
                    .append("    static final org.junit.jupiter.api.extension.BeforeAllCallback RUN = SuiteRun::capture;\n");
            for (int t = 1; t <= tests; t++) {
                src.append("    @Test void test").append(t).append("(KafkaHandle kafka, PostgresHandle postgres) throws Exception {\n")
                        .append("        CleanroomWay.test(kafka, postgres, \"").append(token).append("\", ")
                        .append(shapeRef).append(");\n    }\n");
            }
        } else {
            src.append("public class ").append(className(index)).append(" {\n")
                    .append("    private final HandWrittenWay way = HandWrittenWay.create(\"").append(base())
                    .append("\", \"").append(token).append("\");\n")
                    .append("    @BeforeEach void before() throws Exception { way.before(); }\n")
                    .append("    @AfterEach void after() throws Exception { way.after(); }\n");
            for (int t = 1; t <= tests; t++) {
                if (this == TRUNCATE) {
                    src.append("    @ResourceLock(\"suite-data\")\n");
                }
                src.append("    @Test void test").append(t).append("() throws Exception { way.test(").append(shapeRef)
                        .append("); }\n");
            }
        }
        return src.append("}\n").toString();
    }
}
