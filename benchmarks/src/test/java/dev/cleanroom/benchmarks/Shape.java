package dev.cleanroom.benchmarks;

/**
 * How much a test body does: the rows it inserts (one customer, the rest orders of that
 * customer) and the records it produces (alternating between the class's two topics).
 *
 * @param rows rows inserted, at least 1
 * @param records records produced and consumed, at least 1
 * @param sleepMillis how long the body then sleeps (0: not at all)
 */
public record Shape(int rows, int records, int sleepMillis) {

    /** The realistic body: 5 rows (a customer and 4 orders), 5 records. */
    public static final Shape FULL = new Shape(5, 5, 0);

    /** The short body: 1 row, 1 record. */
    public static final Shape SHORT = new Shape(1, 1, 0);

    /** The idle body: 1 row, 1 record, then 100 ms of sleep, so that the machine is not saturated. */
    public static final Shape IDLE = new Shape(1, 1, 100);

    /** How generated sources name this shape. */
    String reference() {
        return this == FULL ? "Shape.FULL" : this == SHORT ? "Shape.SHORT" : "Shape.IDLE";
    }
}
