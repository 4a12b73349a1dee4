// the Spring test class failed before any test ran, naming the dependency to add
def dir = new File(basedir, 'target/surefire-reports')
def reports = dir.listFiles({ f -> f.name ==~ /TEST-.*\.xml/ } as FileFilter)
assert reports : 'no surefire reports: the test class did not run'
def text = reports.collect { it.text }.join('\n')
assert text.contains('com.example.orders.OrdersTest is a Spring test with Cleanroom fixtures, but '
        + 'dev.cleanroom:fixtures-spring is not on the test class path') : text.take(3000)
assert text.contains('&lt;artifactId&gt;fixtures-spring&lt;/artifactId&gt;') || text.contains('<artifactId>fixtures-spring</artifactId>') : text.take(3000)
assert !text.contains('NoClassDefFoundError') : text.take(3000)
println "[consumer build] ${basedir.name}: refused with the dependency to add"
true
