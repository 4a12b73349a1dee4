expectedTests = 3 // the quick start's two repetitions and FlywayMigratedTest
evaluate(new File(itSources, 'tests-ran.groovy'))
