expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))

// invocation 2, -Dcleanroom.postgres.migrator=flyway without Flyway: both tests fail, naming what to add
def reports = new File(basedir, 'target/flyway-asked-reports').listFiles({ f -> f.name ==~ /TEST-.*\.xml/ } as FileFilter)
assert reports : 'invocation 2 wrote no reports'
def text = reports.collect { it.text }.join('\n')
assert text.contains('cleanroom.postgres.migrator=flyway, but Flyway is not on the test class path. Add org.flywaydb:flyway-core'
        + ' and org.flywaydb:flyway-database-postgresql') : text.take(3000)
assert !text.contains('NoClassDefFoundError') : text.take(3000)
