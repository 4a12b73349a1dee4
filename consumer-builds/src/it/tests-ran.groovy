// Shared by the consumer builds' verify.groovy: the surefire reports must show exactly the
// expected number of tests, all of them passed (none failed, errored or skipped).
// Reads from the binding: basedir (the project), expectedTests, optionally reportsDir.
def dir = new File(basedir, binding.hasVariable('reportsDir') ? reportsDir : 'target/surefire-reports')
def reports = dir.listFiles({ f -> f.name ==~ /TEST-.*\.xml/ } as FileFilter) ?: []
assert reports.length > 0 : "no surefire reports in ${dir}: the tests did not run"
int tests = 0, failures = 0, errors = 0, skipped = 0
def javaVersions = [] as Set
reports.each { report ->
    def suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report).documentElement
    tests += suite.getAttribute('tests').toInteger()
    failures += suite.getAttribute('failures').toInteger()
    errors += suite.getAttribute('errors').toInteger()
    skipped += suite.getAttribute('skipped').toInteger()
    def properties = suite.getElementsByTagName('property')
    for (int i = 0; i < properties.length; i++) {
        if (properties.item(i).getAttribute('name') == 'java.specification.version') {
            javaVersions << properties.item(i).getAttribute('value')
        }
    }
}
println "[consumer build] ${basedir.name}: ${tests} tests, ${failures} failures, ${errors} errors, ${skipped} skipped, Java ${javaVersions}"
assert tests == expectedTests : "${basedir.name}: expected ${expectedTests} tests to run, but ${tests} ran"
assert failures == 0 && errors == 0 && skipped == 0 : "${basedir.name}: ${failures} failed, ${errors} errors, ${skipped} skipped"
return javaVersions
