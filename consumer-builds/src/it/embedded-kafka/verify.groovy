expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('engines: kafka embedded') : 'the run summary must say that the embedded engine served'
