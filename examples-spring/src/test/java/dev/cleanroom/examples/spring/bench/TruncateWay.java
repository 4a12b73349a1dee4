package dev.cleanroom.examples.spring.bench;

/** One shared application context, tables emptied (TRUNCATE) before each test, one test at a time. */
final class TruncateWay {

    private TruncateWay() {}

    abstract static class Base extends HandWrittenBase {}

    static class C1 extends Base {}
    static class C2 extends Base {}
    static class C3 extends Base {}
    static class C4 extends Base {}
    static class C5 extends Base {}
    static class C6 extends Base {}
}
