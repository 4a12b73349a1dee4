package dev.cleanroom.benchmarks;

/**
 * How much a test body does: the rows it inserts (one customer, the rest orders of that
 * customer) and the records it produces (alternating between the class's two topics).
 *
 * @param rows rows inserted, at least 1
 * @param records records produced and consumed, at least 1
 */
public record Shape(int rows, int records) {

    /** The realistic body: 5 rows (a customer and 4 orders), 5 records. */
    public static final Shape FULL = new Shape(5, 5);

    /** The short body: 1 row, 1 record. */
    public static final Shape SHORT = new Shape(1, 1);
}
