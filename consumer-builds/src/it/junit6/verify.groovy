expectedTests = 5 // the quick start's two repetitions, core-only's three tests
def javaVersions = evaluate(new File(itSources, 'tests-ran.groovy'))
if (new File(java25Home, 'bin/java').exists()) {
    assert javaVersions == ['25'] as Set : "the tests must have run on Java 25, but ran on ${javaVersions}"
}
