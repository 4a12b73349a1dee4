package dev.cleanroom.examples.spring.bench;

import org.springframework.test.annotation.DirtiesContext;

/** A new application context per class (@DirtiesContext after each class), tables emptied per test, one test at a time. */
final class DirtiesContextWay {

    private DirtiesContextWay() {}

    @DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
    abstract static class Base extends HandWrittenBase {}

    static class C1 extends Base {}
    static class C2 extends Base {}
    static class C3 extends Base {}
    static class C4 extends Base {}
    static class C5 extends Base {}
    static class C6 extends Base {}
}
